package io.lifeboat.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An application rollback tells people it started, and that it finished or failed. */
class RollbackNotificationsTest {
  private TestWorkflowEnvironment env;
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  private ApplicationRollbackWorkflow start(FakeRollbackActivities fake) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ApplicationRollbackWorkflowImpl.class);
    NotificationActivities notify = sent::add;
    worker.registerActivitiesImplementations(fake, notify);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(ApplicationRollbackWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ApplicationRollbackWorkflowTest.WORKFLOW_ID)
            .setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static ApplicationRollbackRequest request() {
    NotificationTarget channels = NotificationTarget.of(new NotificationsConfig(null,
        new NotificationsConfig.Email("127.0.0.1", 25, "lifeboat@farmtally.test",
            List.of("ops@farmtally.test"), null, null, false)), null, "default");
    return new ApplicationRollbackRequest("farmtally", ApplicationRollbackWorkflowTest.app(),
        ApplicationRollbackWorkflowTest.repository(), null, 15, null, channels, null);
  }

  private List<String> events() {
    return sent.stream().map(d -> d.notification().event()).toList();
  }

  @Test
  void aRollbackSendsStartedAndFinishedByEmail() {
    start(new FakeRollbackActivities()).rollback(request());

    assertEquals(List.of(RunNews.EVENT_STARTED, RunNews.EVENT_FINISHED), events());
    for (Delivery d : sent) {
      assertEquals(Delivery.CHANNEL_EMAIL, d.channel());
      assertNotNull(d.notification().details().get("Projected finish"));
    }
    assertTrue(sent.get(1).notification().text().contains("rollback of application farmtally"
        + " finished"), sent.get(1).notification().text());
    RollbackProgress p = env.getWorkflowClient().newWorkflowStub(ApplicationRollbackWorkflow.class,
        ApplicationRollbackWorkflowTest.WORKFLOW_ID).progress();
    assertNotNull(p.projection());
  }

  @Test
  void aFailedRollbackSendsFailedWithTheStep() {
    ApplicationRollbackWorkflow wf = start(new FakeRollbackActivities()
        .fail("stageRelease", FailureKind.ARCHIVE_CORRUPT, Integer.MAX_VALUE));
    assertThrows(WorkflowFailedException.class, () -> wf.rollback(request()));

    assertEquals(List.of(RunNews.EVENT_STARTED, RunNews.EVENT_FAILED), events());
    assertEquals("stage-release", sent.get(1).notification().details().get("Failed step"));
  }
}
