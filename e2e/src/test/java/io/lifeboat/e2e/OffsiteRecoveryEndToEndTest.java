package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.WorkflowIds;
import io.lifeboat.wal.BaseBackups;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Recovering from the offsite copy (issue 18): a base backup (copied offsite with its WAL),
 * load, a point in time T, more load; the WAL sync schedule (`schedules apply`, triggered)
 * brings the newest WAL offsite; then `recover db --to T --from offsite` runs with a config
 * whose primary repository points at a closed port, so neither the CLI nor the worker can read
 * the primary for it, and gives back exactly the data at T, with archiving off on the
 * recovered server and the repository named in the result.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class OffsiteRecoveryEndToEndTest {
  private RealStack stack;
  private OffsiteProxy offsite;
  private ArchivingCluster cluster;
  private String db;
  private int port;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    offsite = new OffsiteProxy();
    db = stack.tag + "_offrec";
    port = ArchivingCluster.freePort();
    config = stack.config("offrec", root -> {
      ArchivingCluster.point(root, db, port);
      offsite.addTo(root);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      offsite.close();
      stack.close();
      throw e;
    }
    stack.startWorker(offsite.env());
  }

  @AfterEach
  void down() throws Exception {
    String estate = new io.lifeboat.config.ConfigLoader().load(config).estate();
    for (String kind : List.of("backup-db", "backup-base", "wal-check", "offsite-wal")) {
      String id = WorkflowIds.of(kind, estate, db);
      try {
        stack.temporal().schedules().getHandle(id).delete();
      } catch (RuntimeException ignored) {
        // not created
      }
    }
    try {
      if (cluster != null) cluster.close();
    } finally {
      stack.close();
      offsite.close();
    }
  }

  @Test
  void recoverToATimeFromTheOffsiteWithThePrimaryUnreachable() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.baseBackup(stack, config, db);
    BaseBackupManifest base = new BaseBackups(stack.store(), stack.prefix, db).committed().get(0);
    CopyRecord baseCopy = stack.temporal().client()
        .newUntypedWorkflowStub("offsite-db-base-" + db + "-" + base.backupId())
        .getResult(CopyRecord.class);
    assertEquals(baseCopy.copied(), baseCopy.verified(), baseCopy.toString());

    Process load = PitrFixture.load(cluster, 2);
    PitrFixture.PointInTime t;
    try {
      Thread.sleep(2000);
      t = PitrFixture.pointInTime(cluster);
      Thread.sleep(2000);
    } finally {
      PitrFixture.stop(load);
    }
    assertFalse(PitrFixture.checksum(cluster).equals(t.checksum()), "the load went on after T");
    String last = cluster.psql("select pg_walfile_name(pg_current_wal_lsn())");
    PitrFixture.archiveAll(cluster);
    String lastKey = RepositoryLayout.walKey(stack.prefix, db, last);
    assertFalse(offsiteHas(lastKey), "the WAL after T is not offsite before the sync");

    // The WAL sync schedule, as `schedules apply` makes it, fired once by hand.
    String walSync = OffsiteCopyWorkflow.walSyncWorkflowId(
        new io.lifeboat.config.ConfigLoader().load(config).estate(), db);
    RealStack.Run apply = stack.cli(offsite.env(), "schedules", "apply", "--database", db,
        "--config", config.toString());
    assertEquals(0, apply.exit(), apply.err());
    assertTrue(apply.out().contains("created schedule " + walSync + ": '*/5 * * * *'"),
        apply.out());
    stack.temporal().schedules().getHandle(walSync).trigger();
    CopyRecord walCopy = awaitWalSync(walSync);
    assertEquals("wal", walCopy.kind(), walCopy.toString());
    assertTrue(walCopy.copied() > 0, walCopy.toString());
    assertTrue(offsiteHas(lastKey), lastKey + " offsite after the WAL sync");
    // Measured after the copy on both sides: nothing was archived since, so level (a few
    // seconds at most, should a segment have been archived while it listed).
    Long lag = walCopy.walLagSeconds().get(db);
    assertTrue(lag != null && lag < 60, walCopy.toString());

    // The recovery's config: the primary repository at a port nothing listens on.
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    int closedPort = closed;
    Path lostPrimary = stack.config("offrec-lost", root -> {
      ArchivingCluster.point(root, db, port);
      offsite.addTo(root);
      ((ObjectNode) root.get("repository")).put("endpoint", "http://127.0.0.1:" + closedPort);
    });
    RealStack.Run fromPrimary = stack.cli(offsite.env(), "recover", "db", db, "--to", t.time(),
        "--config", lostPrimary.toString());
    assertTrue(fromPrimary.exit() != 0, "the primary is unreachable for this config: "
        + fromPrimary.out() + fromPrimary.err());

    RealStack.Run r = stack.cli(offsite.env(), "recover", "db", db, "--to", t.time(), "--from",
        "offsite", "--wait", "--config", lostPrimary.toString());
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log());
    assertEquals(t.checksum(), PitrFixture.checksum(cluster), "the data as it was at " + t.time());
    assertEquals("f", cluster.psql("select pg_is_in_recovery()"));
    assertTrue(r.out().contains("read from the offsite"), r.out());
    assertTrue(r.out().contains("offsite (" + offsite.endpoint), r.out());
    assertTrue(r.out().contains("archive_mode=off"), r.out());
    assertEquals("off", cluster.psql("show archive_mode"),
        "the recovered server does not archive into the lost primary");
  }

  private boolean offsiteHas(String key) {
    try (S3Client s3 = offsite.client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(OffsiteProxy.BUCKET).prefix(key))
          .contents().stream().anyMatch(o -> o.key().equals(key));
    }
  }

  /** The scheduled run's id is the schedule's plus its fire time: found by its attributes. */
  private CopyRecord awaitWalSync(String scheduleId) throws Exception {
    String query = "LifeboatDatabase='" + db + "' AND LifeboatKind='offsite'";
    for (int i = 0; i < 180; i++) {
      for (WorkflowExecutionMetadata m
          : stack.temporal().client().listExecutions(query).toList()) {
        String id = m.getExecution().getWorkflowId();
        if (id.startsWith(scheduleId) && m.getStatus()
            != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          return stack.temporal().client().newUntypedWorkflowStub(id)
              .getResult(CopyRecord.class);
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the triggered WAL sync never finished");
  }
}
