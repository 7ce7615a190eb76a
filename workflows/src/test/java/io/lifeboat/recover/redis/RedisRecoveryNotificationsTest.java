package io.lifeboat.recover.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.RecordingNotifications;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Redis recovery says started, then finished with the backup, or failed with the cause. */
class RedisRecoveryNotificationsTest {
  private static final String ID = "redis-recovery-cache-news";
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final RecordingNotifications news = new RecordingNotifications();

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(RedisRecoveryWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RedisRecoveryResult run(RedisRecoveryWorkflowTest.Fake fake) {
    worker.registerActivitiesImplementations(fake, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(RedisRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new RedisRecoveryRequest(
            new RedisConfig("cache", null, null, null, null, "/data", true, null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), null, new RetryConfig(2, 1, 1),
            RecordingNotifications.TARGET));
  }

  @Test
  void startedThenFinishedWithTheBackupAndReplays() throws Exception {
    RedisRecoveryResult r = run(new RedisRecoveryWorkflowTest.Fake());
    var f = news.assertRecoveryStartedThenFinished(
        RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY, "cache", r.backupId());
    assertTrue(f.text().contains("5 keys"), f.text());
    assertEquals("not yet chosen", news.sent.get(0).details().get("Backup id"));
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        RedisRecoveryWorkflowImpl.class);
  }

  @Test
  void aWrongKeyCountSaysFailedAtTheSwap() {
    RedisRecoveryWorkflowTest.Fake fake = new RedisRecoveryWorkflowTest.Fake();
    fake.keysAfterStart = 4;
    assertThrows(WorkflowFailedException.class, () -> run(fake));
    news.assertRecoveryStartedThenFailed(RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY, "cache",
        "swap-and-start", FailureKind.RECOVERY_FAILED.type(), "holds 4 keys");
  }
}
