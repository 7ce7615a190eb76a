package io.lifeboat.rollback;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.host.ActivityPlacement.Where;
import io.lifeboat.host.PlacedFake;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: every rollback step is host-bound, so with {@code host: app1} the rollback's
 * activities are served from app1's queue only (nothing registers them on the main queue) and
 * each step names app1 and its agent; without a host, everything stays on the main queue and
 * no agent is asked for.
 */
class RollbackPlacementTest {
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String APP1 = TaskQueues.forHost(MAIN, "app1");

  private TestWorkflowEnvironment env;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final FakeRollbackActivities fake = new FakeRollbackActivities();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  private RollbackResult rollback(String host) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(ApplicationRollbackWorkflowImpl.class);
    control.registerActivitiesImplementations(
        PlacedFake.serving(ReportActivities.class, fake, Where.ANYWHERE, calls),
        PlacedFake.agentsPresent(asked));
    // The agent of app1 (or, without hosts, the one worker) serves the rollback's activities.
    env.newWorker(host == null ? MAIN : APP1).registerActivitiesImplementations(
        PlacedFake.serving(RollbackActivities.class, fake, Where.HOST_BOUND, calls));
    env.start();
    ApplicationConfig a = ApplicationRollbackWorkflowTest.app();
    ApplicationConfig app = new ApplicationConfig(a.name(), a.releaseRoot(), a.pm2Name(),
        a.ecosystemFile(), a.pm2Home(), a.healthUrl(), a.criticalEndpoints(), a.excludes(),
        a.backupSchedule(), a.keep(), host);
    return env.getWorkflowClient().newWorkflowStub(ApplicationRollbackWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("rollback-farmtally").setTaskQueue(MAIN)
                .build())
        .rollback(new ApplicationRollbackRequest("farmtally", app,
            ApplicationRollbackWorkflowTest.repository(), null, 15, new RetryConfig(2, 1, 1)));
  }

  @Test
  void withAHostEveryStepRunsOnItsAgent() {
    RollbackResult r = rollback("app1");
    assertEquals(List.of("identify@" + APP1, "stageRelease@" + APP1,
        "installDependencies@" + APP1, "stopApp@" + APP1, "swapRelease@" + APP1,
        "startApp@" + APP1, "verifyHealth@" + APP1, "storeReport@" + MAIN), calls);
    assertEquals(List.of(APP1), asked, "the agent is asked for once per run");
    for (StepTiming s : r.steps()) {
      assertEquals("app1", s.host(), s.toString());
      assertEquals("agent@app1/1", s.agent(), s.toString());
    }
    assertTrue(fake.reports.get(0).steps().stream().allMatch(s -> "app1".equals(s.host())));
    // The routed run replays on this code (the route-to-host marker, the agent check).
    assertDoesNotThrow(() -> WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory("rollback-farmtally"),
        ApplicationRollbackWorkflowImpl.class));
  }

  @Test
  void withoutAHostEverythingStaysOnTheMainQueue() {
    RollbackResult r = rollback(null);
    assertEquals(List.of("identify@" + MAIN, "stageRelease@" + MAIN,
        "installDependencies@" + MAIN, "stopApp@" + MAIN, "swapRelease@" + MAIN,
        "startApp@" + MAIN, "verifyHealth@" + MAIN, "storeReport@" + MAIN), calls);
    assertEquals(List.of(), asked);
    for (StepTiming s : r.steps()) assertNull(s.host(), s.toString());
  }
}
