package io.lifeboat.rollback;

import io.lifeboat.run.TestEnvironments;
import io.lifeboat.backup.app.ApplicationBackupWorkflowImpl;
import io.lifeboat.backup.config.ConfigurationBackupWorkflowImpl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepTiming;
import io.lifeboat.host.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Order, compensation and RTO accounting of the rollback, on the time-skipping test server. */
public class ApplicationRollbackWorkflowTest {
  public static final String WORKFLOW_ID = "rollback-app-farmtally-farmtally"; // ESTATE-NAME
  public static final Path RECORDED = Path.of("src", "test", "resources", "histories", "app");
  private TestWorkflowEnvironment env;

  @AfterEach
  public void close() {
    if (env != null) env.close();
  }

  public static ApplicationConfig app() {
    return new ApplicationConfig("farmtally", "/srv/farmtally", null, null, null,
        "http://127.0.0.1:3300/api/health", List.of("http://127.0.0.1:3300/api/auth/verify"),
        null, null, null);
  }

  public static RepositoryConfig repository() {
    return new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", "lifeboat", null,
        null, "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY", null, null, null, null, null);
  }

  private ApplicationRollbackWorkflow start(FakeRollbackActivities fake, int rtoMinutes,
      RetryConfig retry) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ApplicationRollbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(ApplicationRollbackWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(TaskQueues.DEFAULT)
            .build());
  }

  private static ApplicationRollbackRequest request(int rtoMinutes, RetryConfig retry) {
    return new ApplicationRollbackRequest("farmtally", app(), repository(), null, rtoMinutes, retry);
  }

  private String attribute(io.temporal.common.SearchAttributeKey<String> key) {
    return env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID).describe()
        .getTypedSearchAttributes().get(key);
  }

  static final io.lifeboat.config.OffsiteConfig OFFSITE = new io.lifeboat.config.OffsiteConfig(
      "http://127.0.0.1:9100", "farmtally-offsite", null, null, null,
      "LIFEBOAT_OFFSITE_ACCESS_KEY", "LIFEBOAT_OFFSITE_SECRET_KEY", null, null, null, null);

  /**
   * Issue 22: the report is copied offsite as soon as it is stored (the store request names
   * the offsite); a failed copy never fails the rollback.
   */
  @Test
  public void theReportGoesOffsiteWhenStoredAndAFailedCopyIsNotTheRunsFailure() {
    FakeRollbackActivities fake = new FakeRollbackActivities();
    fake.offsiteProblem = "offsite unreachable: connection refused";
    ApplicationRollbackRequest b = request(15, null);
    RollbackResult r = start(fake, 15, null).rollback(new ApplicationRollbackRequest(b.estate(),
        b.application(), b.repository(), b.toBackupId(), b.rtoMinutes(), b.retry(),
        b.notifications(), b.previousStepMillis(), OFFSITE));
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, attribute(LifeboatSearchAttributes.OUTCOME));
    assertEquals(LifeboatSearchAttributes.RTO_ON_TRACK, r.rtoStatus());
    assertEquals(1, fake.stored.size(), fake.stored.toString());
    assertEquals(OFFSITE, fake.stored.get(0).offsite());
  }

  /** Without an offsite in the request (old histories, drills): no offsite copy asked. */
  @Test
  public void withoutAnOffsiteTheStoreRequestNamesNone() {
    FakeRollbackActivities fake = new FakeRollbackActivities();
    start(fake, 15, null).rollback(request(15, null));
    assertEquals(1, fake.stored.size(), fake.stored.toString());
    assertEquals(null, fake.stored.get(0).offsite());
  }

  /** `rollback app`'s request (it reads from the primary): the configured offsite. */
  @Test
  public void theRequestFromTheConfigCarriesTheOffsite() {
    io.lifeboat.config.LifeboatConfig c = new io.lifeboat.config.ConfigLoader().load(
        Path.of("..").toAbsolutePath().normalize().resolve("examples/farmtally/lifeboat.yml"));
    assertTrue(c.offsite() != null, "the example configures an offsite");
    assertEquals(c.offsite(), ApplicationRollbackWorkflow.request(c, c.applications().get(0),
        null).reportsOffsite());
  }

  @Test
  public void stagesAndInstallsBeforeStoppingThenSwapsStartsAndVerifies() {
    FakeRollbackActivities fake = new FakeRollbackActivities();
    RollbackResult r = start(fake, 15, null).rollback(request(15, null));
    assertEquals(List.of("identify", "stageRelease", "installDependencies", "stopApp",
        "swapRelease", "startApp", "verifyHealth", "storeReport"), fake.calls);
    assertEquals(List.of("identify", "stage-release", "install-dependencies", "stop-app",
        "swap-release", "start-app", "verify-health"),
        r.steps().stream().map(StepTiming::step).toList());
    assertEquals(LifeboatSearchAttributes.RTO_ON_TRACK, r.rtoStatus());
    assertEquals(15 * 60_000L, r.rtoMillis());
    assertEquals(LifeboatSearchAttributes.RTO_ON_TRACK, attribute(LifeboatSearchAttributes.RTO_STATUS));
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, attribute(LifeboatSearchAttributes.OUTCOME));
    assertEquals(LifeboatSearchAttributes.KIND_APP_ROLLBACK, attribute(LifeboatSearchAttributes.KIND));

    var report = fake.reports.get(0);
    assertEquals("application-rollback", report.kind());
    assertEquals("succeeded", report.outcome());
    assertEquals("met", report.rtoStatus());
    assertEquals("previous/", report.facts().get("rolled back to"));
    RollbackProgress p = env.getWorkflowClient().newWorkflowStub(ApplicationRollbackWorkflow.class,
        WORKFLOW_ID).progress();
    assertEquals("done", p.step());
    assertEquals(7, p.steps().size());
  }

  @Test
  public void aRefusedArchiveNeverStopsTheApp() {
    FakeRollbackActivities fake = new FakeRollbackActivities()
        .fail("stageRelease", FailureKind.ARCHIVE_CORRUPT, Integer.MAX_VALUE);
    ApplicationRollbackWorkflow wf = start(fake, 15, null);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.rollback(request(15, null)));
    assertEquals(List.of("identify", "stageRelease", "storeReport"), fake.calls,
        "non-retryable: one attempt, and the app is left running");
    assertEquals("failed", fake.reports.get(0).outcome());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, attribute(LifeboatSearchAttributes.OUTCOME));
    assertTrue(String.valueOf(e.getCause().getCause()).contains("stageRelease failed"));
  }

  @Test
  public void aFailureAfterTheStopStartsTheAppAgain() {
    FakeRollbackActivities fake = new FakeRollbackActivities()
        .fail("swapRelease", FailureKind.APP_RELEASE_MISSING, Integer.MAX_VALUE);
    ApplicationRollbackWorkflow wf = start(fake, 15, null);
    assertThrows(WorkflowFailedException.class, () -> wf.rollback(request(15, null)));
    assertEquals(List.of("identify", "stageRelease", "installDependencies", "stopApp",
        "swapRelease", "startApp", "storeReport"), fake.calls);
    var report = fake.reports.get(0);
    assertTrue(report.notes().stream().anyMatch(n -> n.contains("started it again")),
        report.notes().toString());
    assertEquals(LifeboatSearchAttributes.RTO_BREACHED, attribute(LifeboatSearchAttributes.RTO_STATUS),
        "a failed rollback has not recovered the app within its RTO");
  }

  @Test
  public void retriesThatOutlastTheRtoMarkItBreachedEvenThoughTheRollbackSucceeds() {
    // verifyHealth fails twice; the retry back-off (40 s, then 80 s) outlasts a 1-minute RTO.
    FakeRollbackActivities fake = new FakeRollbackActivities()
        .fail("verifyHealth", FailureKind.PM2_FAILED, 2);
    RetryConfig retry = new RetryConfig(5, 40, 80);
    RollbackResult r = start(fake, 1, retry).rollback(request(1, retry));
    assertEquals(3, fake.calls.stream().filter("verifyHealth"::equals).count());
    assertEquals(LifeboatSearchAttributes.RTO_BREACHED, r.rtoStatus());
    assertTrue(r.elapsedMillis() > 60_000, "elapsed " + r.elapsedMillis());
    assertEquals(LifeboatSearchAttributes.RTO_BREACHED, attribute(LifeboatSearchAttributes.RTO_STATUS));
    assertEquals("breached", fake.reports.get(0).rtoStatus());
  }

  @Test
  public void itsOwnHistoryReplays() throws Exception {
    FakeRollbackActivities fake = new FakeRollbackActivities()
        .fail("verifyHealth", FailureKind.PM2_FAILED, 1);
    start(fake, 15, new RetryConfig(3, 1, 1)).rollback(request(15, new RetryConfig(3, 1, 1)));
    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WORKFLOW_ID);
    WorkflowReplayer.replayWorkflowExecution(history, ApplicationRollbackWorkflowImpl.class);
  }

  /**
   * Histories recorded from the real server by the end-to-end tests: the SIGKILL rollback, the
   * tampered archive, application and configuration backups, a missing release.
   */
  @TestFactory
  public Stream<DynamicTest> recordedServerHistoriesReplay() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(RECORDED)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "recorded histories under " + RECORDED);
    java.util.Map<String, Class<?>> impls = java.util.Map.of(
        "ApplicationRollbackWorkflow", ApplicationRollbackWorkflowImpl.class,
        "ApplicationBackupWorkflow", ApplicationBackupWorkflowImpl.class,
        "ConfigurationBackupWorkflow", ConfigurationBackupWorkflowImpl.class);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      String json = Files.readString(f, StandardCharsets.UTF_8);
      String type = WorkflowExecutionHistory.fromJson(json).getEvents().get(0)
          .getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
      assertTrue(impls.containsKey(type), f + ": unexpected workflow type " + type);
      WorkflowReplayer.replayWorkflowExecution(json, impls.get(type));
    }));
  }
}
