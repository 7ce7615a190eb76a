package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.recover.db.RestoreProgress;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A point-in-time recovery whose worker (a separate JVM) is killed with SIGKILL while it
 * downloads the base backup, and the next one while it feeds WAL to the replaying server.
 * Downloads are capped at 1 MB/s so both steps last long enough to be hit. The third worker
 * finishes, and the data is exactly the data at the target.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RecoveryWorkerCrashTest {
  private RealStack stack;
  private ArchivingCluster cluster;
  private String db;
  private Path config;
  private WorkerJvm workers;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    db = stack.tag + "_crash";
    int port = ArchivingCluster.freePort();
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("crash", root -> {
      ArchivingCluster.point(root, db, port);
      ObjectNode entry = (ObjectNode) root.get("databases").get(0);
      entry.putObject("recovery").put("downloadMbPerSecond", 1);
      root.putObject("metrics").put("port", metricsPort);
      // A killed attempt is noticed after the heartbeat timeout; retry soon after that.
      root.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
          .put("maxIntervalSeconds", 2);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  @AfterEach
  void down() throws Exception {
    workers.close();
    try {
      if (cluster != null) cluster.close();
    } finally {
      stack.close();
    }
  }

  private Process worker(String name) throws Exception {
    return workers.start(config, stack.taskQueue, name, java.util.Map.of());
  }

  @Test
  void sigkillDuringDownloadAndDuringReplayStillRecoversExactly() throws Exception {
    Process first = worker("worker-1");
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "2", "-q");
    PitrFixture.baseBackup(stack, config, db);
    // WAL to replay after the base backup that zstd cannot shrink much (random hex, ~20 MB),
    // so at 1 MB/s the replay lasts long enough to be hit; then some load.
    PitrFixture.psql(cluster, "create table noise as select g, md5(random()::text)"
        + " || md5(random()::text) || md5(random()::text) || md5(random()::text) as r"
        + " from generate_series(1, 150000) g");
    PitrFixture.pgbench(cluster, "-c", "2", "-j", "1", "-t", "500", "-N");
    PitrFixture.PointInTime t = PitrFixture.pointInTime(cluster);
    PitrFixture.pgbench(cluster, "-c", "2", "-j", "1", "-t", "300", "-N");
    PitrFixture.archiveAll(cluster);
    assertFalse(PitrFixture.checksum(cluster).equals(t.checksum()));

    RealStack.Run start = stack.cli("recover", "db", db, "--to", t.time(), "--config",
        config.toString());
    assertEquals(0, start.exit(), start.err());
    String workflowId = DatabaseRecoveryWorkflow.workflowId(stack.base.estate(), db);
    WorkflowClient client = stack.temporal().client();
    // A second recovery of the same database while this one runs: refused, nothing started.
    RealStack.Run second = stack.cli("recover", "db", db, "--latest", "--config",
        config.toString());
    assertEquals(2, second.exit(), second.out() + second.err());
    assertTrue(second.err().contains("already running"), second.err());
    assertEquals(1, second.err().strip().lines().count(), second.err());

    awaitProgress(client, workflowId, "RecoveryDownloadBase", p -> p.bytesDone() > 0, first,
        "worker-1");
    WorkerJvm.kill(first);

    Process next = worker("worker-2");
    awaitProgress(client, workflowId, "RecoveryReplay", p -> p.walSegmentsFetched() >= 1, next,
        "worker-2");
    WorkerJvm.kill(next);

    worker("worker-3");
    RecoveryResult r = client.newUntypedWorkflowStub(workflowId)
        .getResult(10, TimeUnit.MINUTES, RecoveryResult.class);

    assertEquals(t.checksum(), PitrFixture.checksum(cluster), "the data as it was at " + t.time());
    int downloads = 0;
    int replays = 0;
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskStartedEventAttributes()) {
        int attempt = e.getActivityTaskStartedEventAttributes().getAttempt();
        // Only the last attempt is recorded as started; it must be a retry for both.
        String type = activityType(client, workflowId, e.getActivityTaskStartedEventAttributes()
            .getScheduledEventId());
        if (type.equals("RecoveryDownloadBase")) downloads = attempt;
        if (type.equals("RecoveryReplay")) replays = attempt;
      }
    }
    assertTrue(downloads >= 2, "the download was retried after the kill: attempt " + downloads);
    assertTrue(replays >= 2, "the replay was retried after the kill: attempt " + replays);
    assertEquals("succeeded", r.report().outcome());
    var names = PitrFixture.siblings(cluster.data);
    assertFalse(names.stream().anyMatch(n -> n.startsWith("data.lifeboat-new-")), names.toString());
    // No scratch server is left: only the live one answers, on the configured port.
    assertEquals("f", PitrFixture.psql(cluster, "select pg_is_in_recovery()"));
  }

  private static String activityType(WorkflowClient client, String workflowId, long scheduledId) {
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.getEventId() == scheduledId && e.hasActivityTaskScheduledEventAttributes()) {
        return e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
      }
    }
    return "";
  }

  private void awaitProgress(WorkflowClient client, String workflowId, String activity,
      Predicate<RestoreProgress> ready, Process worker, String name) throws Exception {
    RestoreProgress last = null;
    for (int i = 0; i < 3000; i++) {
      assertTrue(worker.isAlive(), () -> name + " exited early: " + workers.log(name));
      Optional<RestoreProgress> p = WorkerJvm.heartbeat(client, workflowId, activity,
          RestoreProgress.class);
      if (p.isPresent()) {
        last = p.get();
        if (ready.test(last)) return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(activity + " never made progress; last " + last + "; " + name
        + " log:\n" + workers.log(name));
  }
}
