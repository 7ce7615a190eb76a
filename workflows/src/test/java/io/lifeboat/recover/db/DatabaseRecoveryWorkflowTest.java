package io.lifeboat.recover.db;

import io.lifeboat.run.TestEnvironments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabaseRecoveryWorkflowTest {
  static final String DB = "farmtally_production";
  static final String QUEUE = "recover-test";
  static final String WORKFLOW_ID = DatabaseRecoveryWorkflow.workflowId("farmtally", DB);
  static final List<String> PITR_ORDER = List.of("plan", "assess", "stopApplication",
      "prepareScratch", "downloadBase", "replay", "verify", "swapDataDirectory",
      "startApplication", "healthCheck", "storeReport");

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final FakeRecoveryActivities fake = new FakeRecoveryActivities();

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T09:30:00Z"));
    worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static RecoveryRequest request(RecoveryTarget target) {
    DatabaseConfig db = new DatabaseConfig(DB, "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, List.of(new DatabaseConfig.ValidationQuery(
            "tallies present", "select count(*) from tallies", 1L)));
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups",
        "it", null, null, "A", "B", null, null, null, null, null);
    return new RecoveryRequest(db, repo, target, 30, "farmtally", new RetryConfig(3, 1, 2));
  }

  private DatabaseRecoveryWorkflow stub() {
    return env.getWorkflowClient().newWorkflowStub(DatabaseRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(QUEUE).build());
  }

  private String attribute(io.temporal.common.SearchAttributeKey<String> key) {
    return env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID).describe()
        .getTypedSearchAttributes().get(key);
  }

  private RunReport storedReport() {
    List<ReportActivities.StoreReportRequest> r =
        fake.args("storeReport", ReportActivities.StoreReportRequest.class);
    assertEquals(1, r.size(), "exactly one report is stored");
    return r.get(0).report();
  }

  @Test
  void pointInTimeRecoveryRunsTheRunbookStepsInOrderAndMeetsTheRto() {
    RecoveryResult r = stub().recover(request(RecoveryTarget.time("2026-11-21T09:14:00Z")));

    assertEquals(PITR_ORDER, fake.methods());
    assertEquals(List.of("plan", "assess", "stop-application", "prepare", "download", "replay",
        "verify", "swap", "start-application", "health-check"),
        r.steps().stream().map(StepTiming::step).toList());
    assertEquals(LifeboatSearchAttributes.RTO_MET, r.rtoStatus());
    assertEquals(LifeboatSearchAttributes.RTO_MET, attribute(LifeboatSearchAttributes.RTO_STATUS));
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED,
        attribute(LifeboatSearchAttributes.OUTCOME));
    assertEquals(LifeboatSearchAttributes.KIND_DB_RECOVERY,
        attribute(LifeboatSearchAttributes.KIND));

    // The data directory the server reported is the one recovered, in a sibling directory.
    PitrRequest swap = fake.args("swapDataDirectory", PitrRequest.class).get(0);
    assertEquals("/srv/pg/data", swap.cluster().dataDirectory());
    assertTrue(swap.cluster().newDirectory().startsWith("/srv/pg/data.lifeboat-new-"));
    // Verification runs against the scratch server, with the target as the newest allowed time.
    VerifyRequest v = fake.args("verify", VerifyRequest.class).get(0);
    assertEquals(61234, v.port());
    assertEquals("2026-11-21T09:14:00Z", v.notAfter());

    RunReport report = storedReport();
    assertEquals(RunReport.SUCCEEDED, report.outcome());
    assertEquals(DatabaseRecoveryWorkflowImpl.REPORT_KIND, report.kind());
    assertEquals(30 * 60_000L, report.rtoTargetMillis());
    assertEquals("met", report.rtoStatus());
    assertTrue(report.facts().get("Damaged copy kept as").contains("lifeboat-replaced-"),
        report.facts().toString());
    assertEquals(r.report(), report);

    RecoveryProgress p = env.getWorkflowClient()
        .newWorkflowStub(DatabaseRecoveryWorkflow.class, WORKFLOW_ID).progress();
    assertEquals("done", p.step());
    assertEquals(RecoveryPlan.PITR, p.method());
  }

  @Test
  void latestWithoutBaseBackupsRestoresTheDumpIntoAScratchDatabaseThenRenames() {
    fake.pitr = false;
    RecoveryResult r = stub().recover(request(RecoveryTarget.latest()));

    assertEquals(List.of("plan", "assess", "stopApplication", "restoreDump", "verify",
        "swapDatabase", "startApplication", "healthCheck", "storeReport"), fake.methods());
    DumpRestoreRequest d = fake.args("restoreDump", DumpRestoreRequest.class).get(0);
    assertTrue(d.scratchDatabase().startsWith(DB + "_lb_"), d.scratchDatabase());
    assertTrue(d.scratchDatabase().length() <= 63);
    assertEquals(d.scratchDatabase(), fake.args("verify", VerifyRequest.class).get(0).databaseName());
    assertEquals(DB, r.swap().liveAt());
  }

  @Test
  void aTargetOutsideTheRepositoryIsRefusedBeforeAnythingIsStopped() {
    fake.failFirst("plan", 99, FailureKind.RECOVERY_TARGET_INVALID);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> stub().recover(request(RecoveryTarget.time("2020-01-01T00:00:00Z"))));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause().getCause());
    assertEquals(FailureKind.RECOVERY_TARGET_INVALID.type(), f.getType());

    // Not retried (non-retryable), nothing stopped, nothing to start again; a failed report.
    assertEquals(List.of("plan", "storeReport"), fake.methods());
    assertEquals(RunReport.FAILED, storedReport().outcome());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, attribute(LifeboatSearchAttributes.OUTCOME));
  }

  @Test
  void aDumpCannotRecoverAServerThatDoesNotAnswerAndNothingIsStopped() {
    fake.pitr = false;
    fake.reachable = false;
    assertThrows(WorkflowFailedException.class,
        () -> stub().recover(request(RecoveryTarget.latest())));
    assertFalse(fake.methods().contains("stopApplication"), fake.methods().toString());
  }

  @Test
  void aFailedVerificationDiscardsTheCopyKeepsTheOldDataAndRestartsTheApplication() {
    fake.failFirst("verify", 99, FailureKind.VERIFICATION_FAILED);
    assertThrows(WorkflowFailedException.class,
        () -> stub().recover(request(RecoveryTarget.latest())));

    List<String> m = fake.methods();
    assertFalse(m.contains("swapDataDirectory"), "never swapped in: " + m);
    assertEquals(List.of("plan", "assess", "stopApplication", "prepareScratch", "downloadBase",
        "replay", "verify", "discardScratch", "startApplication", "storeReport"), m);
    RunReport report = storedReport();
    assertEquals("breached", report.rtoStatus());
    assertTrue(report.notes().stream().anyMatch(n -> n.contains("failed in step verify")),
        report.notes().toString());
  }

  @Test
  void retryableFailuresAreRetriedByTemporal() {
    fake.failFirst("downloadBase", 2, FailureKind.S3_UNAVAILABLE);
    RecoveryResult r = stub().recover(request(RecoveryTarget.latest()));
    assertEquals(3, fake.calls.stream().filter(c -> c.method().equals("downloadBase")).count());
    assertEquals(3, fake.calls.stream().filter(c -> c.method().equals("downloadBase"))
        .mapToInt(FakeRecoveryActivities.Call::attempt).max().orElse(0));
    assertEquals(LifeboatSearchAttributes.RTO_MET, r.rtoStatus());
  }

  @Test
  void theRtoStatusTurnsBreachedWhileTheRecoveryIsStillRunning() {
    // The replay fails once and Temporal waits 31 minutes (test time) before retrying it: the
    // RTO of 30 minutes runs out in the middle of the recovery, not at its end.
    fake.failFirst("replay", 1, FailureKind.S3_UNAVAILABLE);
    RecoveryRequest slow = new RecoveryRequest(request(RecoveryTarget.latest()).database(),
        request(RecoveryTarget.latest()).repository(), RecoveryTarget.latest(), 30, "farmtally",
        new RetryConfig(3, 31 * 60, 31 * 60));
    RecoveryResult r = stub().recover(slow);

    assertEquals(LifeboatSearchAttributes.RTO_BREACHED, r.rtoStatus());
    assertEquals("breached", r.report().rtoStatus());
    assertEquals(LifeboatSearchAttributes.RTO_BREACHED,
        attribute(LifeboatSearchAttributes.RTO_STATUS));

    // The breach was recorded while the replay was still being retried, before the swap.
    List<HistoryEvent> events = env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents();
    int breachedAt = -1;
    int swapAt = -1;
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent e = events.get(i);
      if (breachedAt < 0 && e.hasUpsertWorkflowSearchAttributesEventAttributes()
          && e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes()
              .getIndexedFieldsMap().values().stream()
              .anyMatch(v -> v.getData().toStringUtf8().contains("breached"))) {
        breachedAt = i;
      }
      if (swapAt < 0 && e.hasActivityTaskScheduledEventAttributes()
          && e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
              .equals("RecoverySwapDataDirectory")) {
        swapAt = i;
      }
    }
    assertTrue(breachedAt > 0 && swapAt > breachedAt,
        "breached upserted at event " + breachedAt + ", swap scheduled at " + swapAt);
  }

  /**
   * A killed worker is noticed after the heartbeat timeout; without one, only after the
   * start-to-close timeout (10 min for the short steps), which the fault suite saw stall a
   * 30 minute RTO recovery. Every recovery step must have a heartbeat timeout.
   */
  @Test
  void everyRecoveryStepHasAHeartbeatTimeoutSoAKilledWorkerIsNoticedInSeconds() {
    stub().recover(request(RecoveryTarget.time("2026-11-21T09:14:00Z")));
    int recoverySteps = 0;
    for (HistoryEvent e : env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents()) {
      if (!e.hasActivityTaskScheduledEventAttributes()) continue;
      var a = e.getActivityTaskScheduledEventAttributes();
      String type = a.getActivityType().getName();
      if (!type.startsWith("Recovery")) continue; // the report store is not a recovery step
      recoverySteps++;
      long seconds = a.getHeartbeatTimeout().getSeconds();
      assertTrue(seconds > 0 && seconds <= 30, type + " heartbeat timeout " + seconds + " s");
    }
    assertEquals(PITR_ORDER.size() - 1, recoverySteps);
  }

  @Test
  void theRtoStatusIsAtRiskPastEightyPercentThenMetWhenItEndsInTime() {
    // The replay fails once and Temporal retries it 25 minutes (test time) later: past 80 % of
    // the 30-minute RTO the run is at-risk, and it still ends within the RTO.
    fake.failFirst("replay", 1, FailureKind.S3_UNAVAILABLE);
    RecoveryRequest slow = new RecoveryRequest(request(RecoveryTarget.latest()).database(),
        request(RecoveryTarget.latest()).repository(), RecoveryTarget.latest(), 30, "farmtally",
        new RetryConfig(3, 25 * 60, 25 * 60));
    RecoveryResult r = stub().recover(slow);

    assertEquals(LifeboatSearchAttributes.RTO_MET, r.rtoStatus());
    List<String> upserted = new ArrayList<>();
    for (HistoryEvent e : env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents()) {
      if (e.hasUpsertWorkflowSearchAttributesEventAttributes()) {
        var v = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes()
            .getIndexedFieldsMap().get(LifeboatSearchAttributes.RTO_STATUS.getName());
        if (v != null) upserted.add(v.getData().toStringUtf8().replace("\"", ""));
      }
    }
    assertEquals(List.of("on-track", "at-risk", "met"), upserted);
  }

  @Test
  void scratchDatabaseNamesFitPostgresLimit() {
    String longName = "x".repeat(63);
    String s = RecoveryInputs.scratchDatabase(longName, "20261121T093000Z");
    assertEquals(63, s.length());
    assertTrue(s.endsWith("_lb_20261121t093000z"));
  }

}
