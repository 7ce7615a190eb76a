package io.lifeboat.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.RecordingNotifications;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A restore point says it is complete, or why it was not taken. */
class RestorePointNotificationsTest {
  private TestWorkflowEnvironment env;
  private final RecordingNotifications news = new RecordingNotifications();

  static final class Points implements RestorePointActivities {
    volatile boolean walDown;

    @Override public void requireNewRestorePoint(RepositoryConfig repository, String name) {}

    @Override public DatabasePoint createRestorePoint(RepositoryConfig repository, WalConfig wal,
        DatabaseConfig database, String name) {
      if (walDown) throw FailureKind.PG_UNAVAILABLE.failure("connection refused\nsecond line");
      return new DatabasePoint(database.name(), "0/3000060", "000000010000000000000003", null);
    }

    @Override public String writeRestorePointManifest(RepositoryConfig repository,
        RestorePointManifest manifest) {
      return "p/points/" + manifest.name() + ".json";
    }
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RestorePointWorkflow start(Points points) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T01:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(RestorePointWorkflowImpl.class);
    worker.registerActivitiesImplementations(points, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(RestorePointWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.DEFAULT)
            .setWorkflowId("snapshot-farmtally-before-upgrade").build());
  }

  private static RestorePointRequest request() {
    DatabaseConfig db = new DatabaseConfig("farmtally_production", "127.0.0.1", 55432,
        "lifeboat", "LIFEBOAT_PG_PASSWORD", null, List.of());
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "b", "p", "us-east-1",
        true, "A", "S", null, null, null, null, null);
    return new RestorePointRequest("farmtally", "before-upgrade", repo, WalConfig.DEFAULT,
        List.of(db), Map.of(), null, new RetryConfig(1, 1, 1), RecordingNotifications.TARGET);
  }

  @Test
  void aCompletePointSaysFinished() throws Exception {
    start(new Points()).snapshot(request());
    Notification n = news.only(RestorePointWorkflowImpl.EVENT_FINISHED);
    assertEquals(1, news.sent.size());
    assertEquals("restore point before-upgrade of farmtally finished", n.subject());
    assertTrue(n.text().contains("1 database(s)"), n.text());
    assertEquals("before-upgrade", n.details().get("Point"));
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory("snapshot-farmtally-before-upgrade"),
        RestorePointWorkflowImpl.class);
  }

  @Test
  void aPointThatCannotBeTakenSaysFailedWithTheCause() {
    Points points = new Points();
    points.walDown = true;
    assertThrows(WorkflowFailedException.class, () -> start(points).snapshot(request()));
    Notification n = news.only(Notification.EVENT_FAILURE);
    assertEquals(1, news.sent.size());
    assertEquals("restore point before-upgrade of farmtally failed", n.subject());
    assertEquals(FailureKind.PG_UNAVAILABLE.type(), n.details().get("Failure kind"));
    assertEquals("connection refused", n.details().get("Cause"));
  }
}
