package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dump and point-in-time paths with the repository on Google Cloud Storage (a real
 * fake-gcs-server) and on Azure Blob (a real Azurite), each started by the test on a free
 * loopback port. The shared stack's Temporal and PostgreSQL do the rest; the worker is a JVM of
 * the test's own, started with the emulator's config, and the PITR cluster's wal-push archives
 * into the emulator too. Nothing reaches the stack's S3 bucket (checked).
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class CloudRepositoryEndToEndTest {
  @TempDir
  Path tmp;
  private CloudRepository cloud;
  private RealStack stack;
  private WorkerJvm workers;
  private ArchivingCluster cluster;

  private void up(String type) throws Exception {
    cloud = CloudRepository.start(type, tmp);
    stack = new RealStack(cloud.baseConfig(tmp), cloud.env());
    workers = new WorkerJvm(tmp);
  }

  @AfterEach
  void down() throws Exception {
    // The stack deletes its keys from the emulator when it closes: the emulator goes last.
    for (AutoCloseable c : new AutoCloseable[] {workers, cluster, stack, cloud}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** The test's worker JVM on its config; returns once it polls (fails if it exits first). */
  private void startWorker(Path config) throws Exception {
    Process p = workers.start(config, stack.taskQueue, "worker", stack.env);
    while (!workers.log("worker").contains("Worker started")) {
      if (!p.isAlive()) throw new AssertionError("worker exited: " + workers.log("worker"));
      Thread.sleep(100);
    }
  }

  /** The worker serves its metrics on a free port (the stack's worker has the config's). */
  private static void metricsPort(com.fasterxml.jackson.databind.node.ObjectNode root) {
    try {
      root.putObject("metrics").put("port", ArchivingCluster.freePort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gcs", "azure"})
  void dumpBacksUpReadsBackVerifiesRecoversAndAFlippedByteFailsVerify(String type)
      throws Exception {
    up(type);
    String db = stack.createDatabase("cloud", 2000);
    Path config = stack.config("cloud", root -> {
      RealStack.addDatabase(root, db).putArray("validation").addObject()
          .put("name", "tallies present").put("sql", "select count(*) from tallies")
          .put("minimum", 2000);
      metricsPort(root);
    });
    startWorker(config);

    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.out() + backup.err() + workers.log("worker"));
    assertTrue(backup.out().contains("is committed"), backup.out());

    // Read back through the emulator: the manifest and the object it names, byte for byte.
    List<String> manifests = stack.keys().stream().filter(k -> k.endsWith("/manifest.json"))
        .toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    BackupManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = new ObjectMapper().readValue(in, BackupManifest.class);
    }
    assertTrue(cloud.allKeys().contains(m.objectKey()), "the emulator's own listing: "
        + cloud.allKeys());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long raw;
    try (InputStream obj = stack.store().get(m.objectKey());
        DigestInputStream digest = new DigestInputStream(obj, sha);
        ZstdInputStream unzstd = new ZstdInputStream(
            stack.cipher().open(digest, m.objectKey(), m.objectKey()))) {
      raw = unzstd.transferTo(OutputStream.nullOutputStream());
      digest.transferTo(OutputStream.nullOutputStream());
    }
    assertEquals(m.sha256(), HexFormat.of().formatHex(sha.digest()));
    assertEquals(m.rawBytes(), raw);

    RealStack.Run ok = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().contains("PASSED " + db), ok.out());

    // recover db --latest: the dump, fetched from the emulator, replaces the damaged database.
    String before = stack.plainDump(db);
    stack.psql(db, "delete from tallies where id % 2 = 0");
    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("full dump restore"), r.out());
    assertEquals(before, stack.plainDump(db), "the data of the dump");
    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    stack.psql("postgres", "drop database " + kept + " with (force)");

    // One byte flipped in the stored dump, through the emulator's own client: verify fails.
    cloud.flipByte(m.objectKey());
    RealStack.Run bad = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.out().contains("FAILED " + db), bad.out());
    assertEquals(List.of(), sharedS3Keys(), "nothing in the stack's S3 bucket");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gcs", "azure"})
  void pointInTimeRecoveryFromABaseBackupAndWalInTheEmulator(String type) throws Exception {
    up(type);
    String db = stack.tag + "_cpitr";
    int port = ArchivingCluster.freePort();
    Path config = stack.config("cpitr", root -> {
      ArchivingCluster.point(root, db, port);
      metricsPort(root);
    });
    cluster = new ArchivingCluster(stack.tag, db, port, config, cloud.env());
    startWorker(config);

    PitrFixture.createDatabase(cluster);
    PitrFixture.psql(cluster, "create table marks (id int primary key, phase text not null)");
    PitrFixture.psql(cluster, "insert into marks select g, 'base' from generate_series(1, 100) g");
    PitrFixture.baseBackup(stack, config, db);
    // Committed after the base backup and before T: only WAL replay brings these back.
    PitrFixture.psql(cluster, "insert into marks select g, 'wal' from generate_series(101, 200) g");
    Thread.sleep(200);
    String t = PitrFixture.psql(cluster, "select to_char(clock_timestamp() at time zone 'UTC',"
        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    Thread.sleep(200);
    PitrFixture.psql(cluster, "insert into marks select g, 'after' from generate_series(201, 300) g");
    PitrFixture.archiveAll(cluster);
    assertEquals("300", PitrFixture.psql(cluster, "select count(*) from marks"));

    List<String> keys = stack.keys();
    assertTrue(keys.stream().anyMatch(k -> k.contains("/wal/")), "WAL in the emulator: " + keys);
    assertTrue(keys.stream().anyMatch(k -> k.contains("/base/")), "base in the emulator: " + keys);
    assertTrue(cloud.allKeys().containsAll(keys), "the emulator's own listing");

    RealStack.Run r = stack.cli("recover", "db", db, "--to", t, "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log() + workers.log("worker"));
    assertEquals("base=100 wal=100 after=0", PitrFixture.psql(cluster, "select 'base=' ||"
        + " count(*) filter (where phase = 'base') || ' wal=' || count(*) filter (where phase ="
        + " 'wal') || ' after=' || count(*) filter (where phase = 'after') from marks"),
        "the rows committed before " + t + " and none after");
    assertEquals(List.of(), sharedS3Keys(), "nothing in the stack's S3 bucket");
  }

  /** Keys under this test's prefix in the shared stack's own S3 repository. */
  private List<String> sharedS3Keys() throws Exception {
    var s3 = new ConfigLoader().load(RealStack.BASE_CONFIG).repository();
    ObjectStore store = StoreFactory.open(s3, Secrets.fromEnvironment());
    try {
      return store.list(stack.prefix + "/");
    } finally {
      store.close();
    }
  }
}
