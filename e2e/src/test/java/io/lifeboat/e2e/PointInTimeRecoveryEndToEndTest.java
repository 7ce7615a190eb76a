package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Point-in-time recovery of a real cluster that archives through wal-push: under pgbench load a
 * time T is noted with a checksum of the tables; the load goes on; recovery to T gives exactly
 * that checksum back, in a new data directory swapped in after verification, the damaged one
 * kept. And --latest after the data directory was deleted.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class PointInTimeRecoveryEndToEndTest {
  private RealStack stack;
  private ArchivingCluster cluster;
  private String db;
  private Path config;
  /** The same, with the worker compressing (format 1: backup_manifest inside the tar). */
  private Path format1Config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_pitr";
    int port = ArchivingCluster.freePort();
    Path dataDir = Path.of("/tmp", "lifeboat-pg-" + stack.tag + "-"
        + Math.floorMod(db.hashCode(), 1000), "data");
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("pitr", root -> configure(root, port, dataDir, metricsPort));
    format1Config = stack.config("pitr-format1", root -> {
      configure(root, port, dataDir, metricsPort);
      ((ObjectNode) root.with("wal")).put("baseServerCompression", false);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
      assertEquals(dataDir, cluster.data);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    stack.startWorker();
  }

  private void configure(ObjectNode root, int port, Path dataDir, int metricsPort) {
      ArchivingCluster.point(root, db, port);
      ObjectNode entry = (ObjectNode) root.get("databases").get(0);
      entry.putArray("validation").addObject().put("name", "accounts present")
          .put("sql", "select count(*) from pgbench_accounts").put("minimum", 100000);
      ((com.fasterxml.jackson.databind.node.ArrayNode) entry.get("validation")).addObject()
          .put("name", "newest history row").put("sql", "select max(mtime) from pgbench_history")
          .put("notAfterTarget", true);
      // The data directory is named for the case where the server is gone (--latest test).
      entry.putObject("recovery").put("dataDirectory", dataDir.toString());
      root.putObject("metrics").put("port", metricsPort);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      stack.close();
    }
  }

  @Test
  void recoversToATimeUnderLoadExactlyAndKeepsTheDamagedDirectory() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.baseBackup(stack, config, db);
    Process load = PitrFixture.load(cluster, 2);
    PitrFixture.PointInTime t;
    try {
      Thread.sleep(3000);
      t = PitrFixture.pointInTime(cluster);
      Thread.sleep(3000);
    } finally {
      PitrFixture.stop(load);
    }
    String after = PitrFixture.checksum(cluster);
    assertFalse(after.equals(t.checksum()), "the load changed the data after T");
    PitrFixture.archiveAll(cluster);

    refusesBadTargetsBeforeStartingAnything(t);

    RealStack.Run r = stack.cli("recover", "db", db, "--to", t.time(), "--wait", "--config",
        config.toString());
    System.out.println(r.out());
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log());

    assertEquals(t.checksum(), PitrFixture.checksum(cluster), "the data as it was at " + t.time());
    assertEquals("2", cluster.psql("select substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)::int"));
    assertEquals("f", cluster.psql("select pg_is_in_recovery()"));
    var names = PitrFixture.siblings(cluster.data);
    assertTrue(names.stream().anyMatch(n -> n.startsWith("data.lifeboat-replaced-")), names.toString());
    assertFalse(names.stream().anyMatch(n -> n.startsWith("data.lifeboat-new-")), names.toString());
    assertTrue(r.out().contains("RTO met"), r.out());

    RealStack.Run report = stack.cli("report",
        DatabaseRecoveryWorkflow.workflowId(stack.base.estate(), db), "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("# Database recovery: " + db), report.out());
    assertTrue(report.out().contains("| replay | ok |"), report.out());

    // The recovered server archives its new timeline: the history file reaches the archive.
    PitrFixture.archiveAll(cluster);
    assertTrue(stack.keys().stream().anyMatch(k -> k.endsWith("/00000002.history.zst")),
        stack.keys().toString());
  }

  /** Each is one line, exit 2, and no workflow exists afterwards: nothing was stopped. */
  private void refusesBadTargetsBeforeStartingAnything(PitrFixture.PointInTime t) throws Exception {
    String[][] cases = {
        {"--to", "2000-01-01T00:00:00Z", "is before the oldest base backup"},
        {"--to", java.time.Instant.now().plusSeconds(86400).toString(),
            "is after the newest archived WAL"},
        {"--to", "yesterday at noon", "is not a time"},
        {"--lsn", "0/10", "is before the end of the oldest base backup"},
        {"--lsn", "FFFF/0", "is after the newest archived WAL"},
        {"--lsn", "12345", "is not an LSN"},
    };
    for (String[] c : cases) {
      RealStack.Run bad = stack.cli("recover", "db", db, c[0], c[1], "--config", config.toString());
      assertEquals(2, bad.exit(), c[1] + ": " + bad.out() + bad.err());
      assertTrue(bad.err().contains(c[2]), c[1] + ": " + bad.err());
      assertEquals(1, bad.err().strip().lines().count(), "one line: " + bad.err());
      assertFalse(bad.err().contains("Exception"), bad.err());
    }
    RealStack.Run both = stack.cli("recover", "db", db, "--latest", "--to", t.time(), "--config",
        config.toString());
    assertEquals(2, both.exit(), both.err());
    RuntimeException none = assertThrows(RuntimeException.class,
        () -> stack.temporal().client().newUntypedWorkflowStub(
            DatabaseRecoveryWorkflow.workflowId(stack.base.estate(), db)).describe());
    assertTrue(none instanceof io.temporal.client.WorkflowNotFoundException
        || String.valueOf(none.getMessage()).contains("NOT_FOUND"), "no workflow: " + none);
    assertEquals(t.checksum().length(), PitrFixture.checksum(cluster).length(), "still serving");
  }

  /**
   * Repositories written before format 2 hold base backups whose tar carries backup_manifest
   * and was compressed by the worker: they stay restorable.
   */
  @Test
  void latestFromAFormatOneBaseBackup() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.baseBackup(stack, format1Config, db);
    var bases = new io.lifeboat.wal.BaseBackups(stack.store(), stack.prefix, db).committed();
    assertEquals(1, bases.size());
    assertEquals(io.lifeboat.backup.base.BaseBackupManifest.FORMAT_VERSION,
        bases.get(0).formatVersion());
    assertEquals(null, bases.get(0).backupManifestKey());
    assertFalse(stack.keys().stream().anyMatch(k -> k.endsWith("/backup_manifest.zst")),
        stack.keys().toString());
    assertTrue(bases.get(0).verification().contains("fetched from the archive"),
        bases.get(0).verification());
    PitrFixture.pgbench(cluster, "-c", "2", "-j", "1", "-t", "300", "-N");
    PitrFixture.archiveAll(cluster);
    String expected = PitrFixture.checksum(cluster);

    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    System.out.println(r.out());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(expected, PitrFixture.checksum(cluster));
  }

  @Test
  void latestAfterTheDataDirectoryWasDeleted() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.baseBackup(stack, config, db);
    PitrFixture.pgbench(cluster, "-c", "2", "-j", "1", "-t", "300", "-N");
    PitrFixture.archiveAll(cluster);
    String expected = PitrFixture.checksum(cluster);

    ArchivingCluster.sh("runuser", "-u", "postgres", "--", RealStack.pg("pg_ctl"), "-D",
        cluster.data.toString(), "-m", "immediate", "-w", "stop");
    ArchivingCluster.sh("rm", "-rf", cluster.data.toString());

    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    System.out.println(r.out());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(Files.isDirectory(cluster.data));
    assertEquals(expected, PitrFixture.checksum(cluster));
  }
}
