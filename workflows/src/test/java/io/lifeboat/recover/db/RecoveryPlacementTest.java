package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.host.ActivityPlacement.Where;
import io.lifeboat.host.PlacedFake;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a PITR of a database on db1 whose application's PM2 is on app1. The data directory
 * steps are served from db1's queue only, the application's stop and start from app1's only,
 * plan/assess/verify/health from the main queue only (each fake refuses what is not placed
 * there), and each step names the host that ran it. Without hosts: all on the main queue.
 */
class RecoveryPlacementTest {
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String DB1 = TaskQueues.forHost(MAIN, "db1");
  private static final String APP1 = TaskQueues.forHost(MAIN, "app1");

  private TestWorkflowEnvironment env;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final FakeRecoveryActivities fake = new FakeRecoveryActivities();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  private RecoveryResult recover(String dbHost, String appHost) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T09:30:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
    control.registerActivitiesImplementations(
        PlacedFake.serving(DatabaseRecoveryActivities.class, fake, Where.ANYWHERE, calls),
        PlacedFake.serving(ReportActivities.class, fake, Where.ANYWHERE, calls),
        PlacedFake.agentsPresent(asked));
    env.newWorker(DB1).registerActivitiesImplementations(
        PlacedFake.serving(DatabaseRecoveryActivities.class, fake, Where.HOST_BOUND, calls));
    env.newWorker(APP1).registerActivitiesImplementations(
        PlacedFake.serving(DatabaseRecoveryActivities.class, fake, Where.HOST_BOUND, calls));
    env.start();
    RecoveryRequest base = DatabaseRecoveryWorkflowTest.request(RecoveryTarget.latest());
    DatabaseConfig d = base.database();
    DatabaseConfig db = new DatabaseConfig(d.name(), d.host(), d.port(), d.user(),
        d.passwordEnv(), d.backupSchedule(), d.validation(),
        new DatabaseConfig.RecoveryConfig(null, "postgres", null,
            new DatabaseConfig.ApplicationConfig("farmtally", null, null, appHost), 0),
        dbHost);
    return env.getWorkflowClient().newWorkflowStub(DatabaseRecoveryWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("recover-db-" + d.name())
                .setTaskQueue(MAIN).build())
        .recover(new RecoveryRequest(db, base.repository(), base.target(), 30, "farmtally",
            base.retry()));
  }

  @Test
  void dataDirectoryStepsRunOnTheDatabaseHostAndPm2OnTheApplicationHost() {
    RecoveryResult r = recover("db1", "app1");
    assertEquals(List.of("plan@" + MAIN, "assess@" + MAIN, "stopApplication@" + APP1,
        "prepareScratch@" + DB1, "downloadBase@" + DB1, "replay@" + DB1, "verify@" + MAIN,
        "swapDataDirectory@" + DB1, "startApplication@" + APP1, "healthCheck@" + MAIN,
        "storeReport@" + MAIN), calls);
    assertEquals(List.of(APP1, DB1), asked, "each host's agent asked for once");
    Map<String, String> hosts = r.steps().stream().collect(Collectors.toMap(StepTiming::step,
        s -> s.host() == null ? "control" : s.host() + " " + s.agent()));
    assertEquals("control", hosts.get("plan"));
    assertEquals("app1 agent@app1/1", hosts.get("stop-application"));
    assertEquals("db1 agent@db1/1", hosts.get("replay"));
    assertEquals("db1 agent@db1/1", hosts.get("swap"));
    assertEquals("control", hosts.get("verify"));
  }

  @Test
  void aFailedRecoveryCleansUpOnTheDatabaseHostAndRestartsTheAppOnItsHost() {
    fake.failFirst("verify", 99, io.lifeboat.failure.FailureKind.VERIFICATION_FAILED);
    org.junit.jupiter.api.Assertions.assertThrows(io.temporal.client.WorkflowFailedException.class,
        () -> recover("db1", "app1"));
    assertEquals(List.of("verify@" + MAIN, "discardScratch@" + DB1, "startApplication@" + APP1,
        "storeReport@" + MAIN), calls.subList(calls.indexOf("verify@" + MAIN), calls.size()));
  }

  @Test
  void theApplicationDefaultsToTheDatabasesHost() {
    recover("db1", null);
    assertEquals("stopApplication@" + DB1, calls.get(2));
    assertEquals(List.of(DB1), asked);
  }

  @Test
  void withoutHostsEverythingStaysOnTheMainQueue() {
    // The one worker serves every activity from the main queue, as the local stack does.
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T09:30:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
    control.registerActivitiesImplementations(fake, PlacedFake.agentsPresent(asked));
    env.start();
    RecoveryRequest base = DatabaseRecoveryWorkflowTest.request(RecoveryTarget.latest());
    RecoveryResult r = env.getWorkflowClient().newWorkflowStub(DatabaseRecoveryWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("recover-db-local").setTaskQueue(MAIN)
                .build())
        .recover(base);
    assertEquals(DatabaseRecoveryWorkflowTest.PITR_ORDER,
        fake.methods());
    assertEquals(List.of(), asked, "no agent is asked for on one machine");
    for (StepTiming s : r.steps()) assertNull(s.host(), s.toString());
  }
}
