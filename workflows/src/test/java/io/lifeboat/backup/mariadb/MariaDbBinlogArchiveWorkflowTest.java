package io.lifeboat.backup.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.recover.mariadb.MariaDbPitrActivities;
import io.lifeboat.recover.mariadb.MariaDbReplayPlan;
import io.lifeboat.recover.mariadb.MariaDbReplayRequest;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The archiver passes on its timer, survives a failed pass, and ends when stopped. */
class MariaDbBinlogArchiveWorkflowTest {
  private final AtomicInteger passes = new AtomicInteger();

  final class Pitr implements MariaDbPitrActivities {
    public List<String> mariadbArchiveBinlogs(MariaDbConfig m, RepositoryConfig r) {
      int n = passes.incrementAndGet();
      if (n == 2) throw FailureKind.MARIADB_UNAVAILABLE.failure("mariadb billing is down");
      return List.of(String.format("mysql-bin.%06d", n));
    }

    public MariaDbManifest mariadbChooseBackupBefore(RepositoryConfig r, String n, long t) {
      throw new UnsupportedOperationException();
    }

    public MariaDbReplayPlan mariadbPlanReplay(MariaDbReplayRequest r) {
      throw new UnsupportedOperationException();
    }

    public void mariadbReplay(MariaDbReplayRequest r, MariaDbReplayPlan p) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void passesOnItsTimerThroughAFailureUntilStopped() {
    TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes(
        Instant.parse("2026-12-06T03:00:00Z"));
    try {
      Worker worker = env.newWorker(TaskQueues.DEFAULT);
      worker.registerWorkflowImplementationTypes(MariaDbBinlogArchiveWorkflowImpl.class);
      worker.registerActivitiesImplementations(new Pitr());
      env.start();
      MariaDbBinlogArchiveWorkflow wf = env.getWorkflowClient().newWorkflowStub(
          MariaDbBinlogArchiveWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId("archive-test").setTaskQueue(TaskQueues.DEFAULT).build());
      WorkflowClient.start(wf::archive, new MariaDbBinlogArchiveRequest(
          new MariaDbConfig("billing", null, null, null, null, null, List.of("billing"), null),
          new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
              null, null, null, null), new RetryConfig(3, 1, 1), 60, 0, null));
      env.sleep(Duration.ofSeconds(30));
      assertEquals(1, passes.get(), "one pass, then the timer");
      env.sleep(Duration.ofSeconds(60));
      MariaDbBinlogArchiveStatus failed = wf.status();
      assertEquals(2, failed.passes());
      assertTrue(failed.lastError().contains("is down"), failed.lastError());
      assertEquals(2, passes.get(), "a failed pass is not retried in place: the next is the retry");
      env.sleep(Duration.ofSeconds(60));
      MariaDbBinlogArchiveStatus st = wf.status();
      assertEquals(3, st.passes());
      assertNull(st.lastError());
      assertEquals("mysql-bin.000003", st.lastArchived());
      wf.stop();
      WorkflowStub.fromTyped(wf).getResult(Void.class);
      assertEquals(3, passes.get());
    } finally {
      env.close();
    }
  }
}
