package io.lifeboat.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.DrillsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.recover.server.ServerRecoveryWorkflow;
import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.StepTiming;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.RunReport;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plan, refusal, approvals, compensation and criteria of the drill, in skipped time. */
class DrillWorkflowTest {
  static final String ID = "drill-quarterly-farmtally-test";
  private TestWorkflowEnvironment env;
  private final FakeDrillActivities fake = new FakeDrillActivities();

  @org.junit.jupiter.api.BeforeEach
  void resetChild() {
    FakeServerRecovery.started.clear();
    FakeServerRecovery.fail = false;
  }

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  static DrillRequest request(String kind, String scenario, DrillsConfig drills) {
    DatabaseConfig db = new DatabaseConfig("farmtally_production", "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, null);
    ApplicationConfig app = new ApplicationConfig("farmtally", "/srv/farmtally", null, null, null,
        "http://127.0.0.1:3300/api/health", List.of(), null, null, null);
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups",
        "lifeboat", null, null, "A", "B", null, null, null, null, null);
    return new DrillRequest("farmtally", kind, scenario, List.of(db), List.of(app), repo,
        new RetryConfig(2, 1, 1), null, drills, null, List.of());
  }

  static DrillsConfig lead() {
    return new DrillsConfig("ana", null, null, null, 10, null, null, null, null, null);
  }

  private DrillWorkflow start(String startTime, DrillRequest request) {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse(startTime));
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(DrillWorkflowImpl.class, FakeServerRecovery.class);
    worker.registerActivitiesImplementations(fake);
    env.start();
    DrillWorkflow wf = env.getWorkflowClient().newWorkflowStub(DrillWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build());
    WorkflowClient.start(wf::drill, request);
    return wf;
  }

  private void approveWhenWaiting(DrillWorkflow wf, String step, Duration after) {
    for (int i = 0; i < 300; i++) {
      List<WaitingStep> w = wf.waitingSteps();
      if (w.stream().anyMatch(x -> x.step().equals(step))) {
        env.sleep(after);
        wf.approve(new ApprovalRequest(step, "ana", "checked", null));
        return;
      }
      env.sleep(Duration.ofSeconds(5));
    }
    throw new AssertionError(step + " never waited; waiting: " + wf.waitingSteps());
  }

  @Test
  void rotationFollowsTheCalendarAndTheScenarioOverridesIt() {
    long q1 = Instant.parse("2026-02-10T00:00:00Z").toEpochMilli();
    long q2 = Instant.parse("2026-05-10T00:00:00Z").toEpochMilli();
    long q3 = Instant.parse("2026-08-10T00:00:00Z").toEpochMilli();
    long q4 = Instant.parse("2026-11-10T00:00:00Z").toEpochMilli();
    assertEquals(List.of("database"), DrillScenarios.plan("quarterly", null, q1));
    assertEquals(List.of("application"), DrillScenarios.plan("quarterly", null, q2));
    assertEquals(List.of("full-system"), DrillScenarios.plan("quarterly", null, q3));
    assertEquals(List.of("database", "application", "full-system"),
        DrillScenarios.plan("quarterly", null, q4));
    assertEquals(List.of("database", "application"), DrillScenarios.plan("monthly", null, q3));
    assertEquals(List.of("database"), DrillScenarios.plan("quarterly", "database", q3));
  }

  @Test
  void quarterlyDatabaseDrillWithApprovalsMeetsEveryCriterionAndReplays() throws Exception {
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("quarterly", "database", lead()));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ofMinutes(3));
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "database", Duration.ofMinutes(7));
    DrillResult r = WorkflowStub.fromTyped(wf).getResult(DrillResult.class);
    assertEquals("succeeded", r.outcome());
    assertEquals(4, r.quarter());
    String scratch = fake.calls.stream().filter(c -> c.startsWith("restore ")).findFirst()
        .orElseThrow().substring("restore ".length());
    assertTrue(scratch.startsWith("lifeboat_drill_farmtally_production_"), scratch);
    assertEquals(List.of("findNewest farmtally_production", "checkIntegrity", "restore " + scratch,
        "drop " + scratch, "storeReport", "checkReport", "storeReport"), fake.calls);
    assertEquals(List.of("recovery time objectives met", "data integrity", "process adherence",
        "documentation"), r.criteria().stream().map(RunReport.Criterion::name).toList());
    assertTrue(r.criteria().stream().allMatch(RunReport.Criterion::met), r.criteria().toString());
    assertEquals(List.of("approve-start", "sign-off-database"),
        r.approvals().stream().map(Approval::step).toList());
    // Human waits are recorded apart: 3 and 7 minutes at least, and not in the RTO's machine time.
    long waited = r.steps().stream().mapToLong(StepTiming::humanWaitMillis).sum();
    assertTrue(waited >= Duration.ofMinutes(10).toMillis(), "waited " + waited);
    assertTrue(r.results().get(0).machineMillis() < Duration.ofMinutes(1).toMillis());
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertEquals("drill", last.kind());
    assertEquals(4, last.criteria().size());
    assertTrue(last.humanWaitMillis() >= Duration.ofMinutes(10).toMillis());
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        DrillWorkflowImpl.class);
  }

  @Test
  void monthlyRunsBothScenariosInOrderOnScratchTargetsOnly() {
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("monthly", null, lead()));
    String runId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "database", Duration.ZERO);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "application", Duration.ZERO);
    DrillResult r = WorkflowStub.fromTyped(wf).getResult(DrillResult.class);
    assertEquals(List.of("database", "application"), r.scenarios());
    // Both scratch targets are named by the random END of the run id (RunKeys), not its first
    // 8 characters, which every run of the same minute shares (UUIDv7).
    String key = RunKeys.of(runId);
    assertTrue(fake.calls.contains("restore lifeboat_drill_farmtally_production_" + key),
        key + " " + fake.calls);
    assertTrue(fake.calls.contains("drop lifeboat_drill_farmtally_production_" + key),
        fake.calls.toString());
    assertTrue(fake.calls.contains("stage /srv/farmtally-drill/" + key), fake.calls.toString());
    List<String> app = fake.calls.stream().filter(c -> !c.contains("Report") && !c.contains("base")
        && !c.startsWith("findNewest") && !c.startsWith("check") && !c.startsWith("restore")
        && !c.startsWith("drop")).toList();
    assertEquals("prepare farmtally-drill", app.get(0));
    assertTrue(app.get(1).startsWith("stage /srv/farmtally-drill/"), app.toString());
    assertEquals("npm ci", app.get(2));
    assertEquals("start farmtally-drill", app.get(4));
    assertEquals("health http://127.0.0.1:3390/api/health", app.get(5));
    assertEquals("remove farmtally-drill", app.get(6));
  }

  @Test
  void aFailedRestoreIsCleanedUpSignedOffAndFailsTheDrillAfterItsReport() {
    fake.restoreFails = true;
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("quarterly", "database", lead()));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "database", Duration.ZERO);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_FAILED.type(), af.getType());
    assertTrue(af.getOriginalMessage().contains("pg_restore exited 1"), af.getOriginalMessage());
    assertTrue(fake.calls.stream().anyMatch(c -> c.startsWith("drop lifeboat_drill_")),
        "the scratch database is dropped even though the restore failed: " + fake.calls);
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertEquals("failed", last.outcome());
    assertFalse(last.criteria().get(1).met(), "data integrity not met");
  }

  @Test
  void aDrillCancelledMidRestoreStillDropsItsScratchDatabaseAndStoresItsReport() throws Exception {
    fake.restoreHangs = true;
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("quarterly", "database", lead()));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    assertTrue(fake.restoring.await(60, java.util.concurrent.TimeUnit.SECONDS), "restore started");
    WorkflowStub.fromTyped(wf).cancel();
    assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    assertTrue(fake.calls.stream().anyMatch(c -> c.startsWith("drop lifeboat_drill_")),
        "compensation ran on cancellation: " + fake.calls);
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertEquals("failed", last.outcome());
    assertTrue(last.notes().contains("the drill was cancelled"), last.notes().toString());
  }

  @Test
  void aDrillAimedAtProductionIsRefusedBeforeAnythingRuns() {
    DrillsConfig prod = new DrillsConfig("ana", null, null, null, 10, "farmtally_production",
        null, null, null, null);
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("quarterly", "database", prod));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_TARGET_IS_PRODUCTION.type(), af.getType());
    assertTrue(af.getOriginalMessage().contains("is the production database farmtally_production"));
    assertEquals(List.of(), fake.calls);
    DrillsConfig prodApp = new DrillsConfig(null, null, null, null, null, null, "/srv/farmtally",
        "farmtally", 3300, null);
    String why = DrillTargets.refusal(request("monthly", null, prodApp),
        List.of("application"), "12345678").orElseThrow();
    assertTrue(why.contains("overlaps the release root") && why.contains("PM2 name farmtally")
        && why.contains("port 3300"), why);
  }

  /**
   * A monthly and a quarterly drill fired by their schedules in the same minute: UUIDv7 run ids
   * sharing their first 8 hex digits, scratch databases and directories that must not.
   */
  @Test
  void twoDrillsOfTheSameMinuteGetDifferentScratchTargets() {
    String monthly = "019aa8f0-1c2b-7d3e-8f40-5a6b7c8d9e0f";
    String quarterly = "019aa8f0-b86b-7a11-b222-333344445555"; // 40 s later
    DrillRequest r = request("monthly", null, lead());
    DatabaseConfig db = r.databases().get(0);
    String a = DrillTargets.scratchDatabase(r.drills(), db, r.databases(), RunKeys.of(monthly));
    String b = DrillTargets.scratchDatabase(r.drills(), db, r.databases(), RunKeys.of(quarterly));
    assertNotEquals(a, b);
    assertEquals("lifeboat_drill_farmtally_production_7c8d9e0f", a);
    assertEquals(DrillTargets.scratchDatabase(r.drills(), db, r.databases(),
        RunKeys.legacyPrefix(monthly)), DrillTargets.scratchDatabase(r.drills(), db,
        r.databases(), RunKeys.legacyPrefix(quarterly)), "the old names collided");
    // Within PostgreSQL's 63 characters, the key kept whole.
    DatabaseConfig longDb = new DatabaseConfig("x".repeat(63), "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, null);
    String clipped = DrillTargets.scratchDatabase(r.drills(), longDb, List.of(longDb),
        RunKeys.of(monthly));
    assertEquals(63, clipped.length());
    assertTrue(clipped.endsWith("_7c8d9e0f"), clipped);
  }

  static ServerTargetConfig server(String name, String root, Boolean production) {
    return new ServerTargetConfig(name, "127.0.0.2", root, "farmtally.test", 8080, 8443, 3301,
        "farmtally_production", "farmtally",
        new ServerTargetConfig.PostgresTarget(null, 55433, null, null, null),
        root + "/inventory", root + "/site.yml", null, null, null, production);
  }

  static DrillRequest fullSystem(String kind, String scenario, String serverTarget,
      List<ServerTargetConfig> servers) {
    DrillRequest r = request(kind, scenario,
        new DrillsConfig("ana", null, null, null, 10, null, null, null, null, serverTarget));
    return new DrillRequest(r.estate(), r.kind(), r.scenario(), r.databases(), r.applications(),
        r.repository(), r.retry(), r.targets(), r.drills(), r.notification(), servers);
  }

  private void approveChildProvision(String childId) {
    ServerRecoveryWorkflow child = env.getWorkflowClient()
        .newWorkflowStub(ServerRecoveryWorkflow.class, childId);
    for (int i = 0; i < 300; i++) {
      try {
        if (child.waitingSteps().stream().anyMatch(w -> w.step().equals("provision"))) {
          env.sleep(Duration.ofMinutes(20));
          child.approve(new ApprovalRequest("provision", "ana", "built", "127.0.0.2"));
          return;
        }
      } catch (io.temporal.client.WorkflowNotFoundException notYet) {
        // the drill starts its child after the start approval
      }
      env.sleep(Duration.ofSeconds(5));
    }
    throw new AssertionError("the server recovery never waited for provision");
  }

  @Test
  void thirdQuarterRecoversTheServerOntoTheDrillTargetAsAChildAndResetsIt() throws Exception {
    DrillWorkflow wf = start("2026-08-03T09:00:00Z", fullSystem("quarterly", null, null,
        List.of(server("old", "/srv", true), server("dr", "/tmp/lifeboat-dr", null))));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    approveChildProvision("recover-server-dr");
    // While the child waits, the drill says where: its progress names the child.
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "full-system", Duration.ZERO);
    DrillResult r = WorkflowStub.fromTyped(wf).getResult(DrillResult.class);
    assertEquals(List.of("full-system"), r.scenarios());
    assertEquals(List.of("recover-server-dr dr farmtally_production farmtally rto 120"),
        FakeServerRecovery.started);
    assertEquals(List.of("reset dr", "storeReport", "checkReport", "storeReport"), fake.calls);
    assertEquals("succeeded", r.outcome());
    ScenarioResult s = r.results().get(0);
    assertEquals(ScenarioResult.OK, s.outcome());
    assertTrue(s.integrity(), s.toString());
    // Machine time is the child's (10 min), not the 20 minutes the provisioning person took.
    assertEquals(Duration.ofMinutes(10).toMillis(), s.machineMillis());
    assertTrue(r.criteria().stream().allMatch(RunReport.Criterion::met), r.criteria().toString());
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertTrue(last.facts().get("full-system: clean-up").contains("stop and reset server target dr"),
        last.facts().toString());
    assertTrue(last.facts().get("full-system: human steps").startsWith("provision after 20m"),
        last.facts().toString());
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        DrillWorkflowImpl.class);
  }

  @Test
  void aFailedServerRecoveryStillResetsTheTargetAndFailsTheDrill() {
    FakeServerRecovery.fail = true;
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", fullSystem("quarterly", "full-system", "dr",
        List.of(server("dr", "/tmp/lifeboat-dr", null))));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    approveChildProvision("recover-server-dr");
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "full-system", Duration.ZERO);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_FAILED.type(), af.getType());
    assertTrue(af.getOriginalMessage().contains("ansible-playbook exited 2"),
        af.getOriginalMessage());
    assertTrue(fake.calls.contains("reset dr"), "compensation ran: " + fake.calls);
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertEquals("failed", last.outcome());
    assertFalse(last.criteria().get(1).met(), "data integrity not met");
  }

  @Test
  void aDrillCancelledDuringTheServerRecoveryResetsTheTarget() {
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", fullSystem("quarterly", "full-system", null,
        List.of(server("dr", "/tmp/lifeboat-dr", null))));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    for (int i = 0; i < 300 && FakeServerRecovery.started.isEmpty(); i++) {
      env.sleep(Duration.ofSeconds(5));
    }
    assertEquals("recover-server-dr", wf.progress().childWorkflowId());
    WorkflowStub.fromTyped(wf).cancel();
    assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    assertTrue(fake.calls.contains("reset dr"), "compensation ran on cancellation: " + fake.calls);
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertTrue(last.notes().contains("the drill was cancelled"), last.notes().toString());
  }

  @Test
  void aProductionServerTargetIsRefusedBeforeAnythingRuns() {
    DrillWorkflow wf = start("2026-08-03T09:00:00Z", fullSystem("quarterly", null, "old",
        List.of(server("old", "/srv", true), server("dr", "/tmp/lifeboat-dr", null))));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_TARGET_IS_PRODUCTION.type(), af.getType());
    assertTrue(af.getOriginalMessage().contains("server target old is production"),
        af.getOriginalMessage());
    assertEquals(List.of(), fake.calls);
    assertEquals(List.of(), FakeServerRecovery.started);
    // A target on production's PostgreSQL port is production too, whatever it is called.
    ServerTargetConfig samePort = new ServerTargetConfig("dr", "127.0.0.1", "/tmp/x", "d.test",
        null, null, null, "farmtally_production", "farmtally",
        new ServerTargetConfig.PostgresTarget(null, 55432, null, null, null), "i", "p", null,
        null, null, null);
    String why = DrillTargets.refusal(fullSystem("quarterly", "full-system", null,
        List.of(samePort)), List.of("full-system"), "12345678").orElseThrow();
    assertTrue(why.contains("is production's database"), why);
  }

  @Test
  void withoutAServerTargetFullSystemIsRecordedAsNotRunAndTheDrillFails() {
    DrillWorkflow wf = start("2026-08-03T09:00:00Z", request("quarterly", null, lead()));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_FAILED.type(), af.getType());
    assertTrue(af.getOriginalMessage().contains("no servers: section"), af.getOriginalMessage());
    RunReport last = fake.reports.get(fake.reports.size() - 1);
    assertEquals("failed", last.outcome());
    assertTrue(last.steps().stream().anyMatch(s -> s.step().equals("full-system: not available")
        && s.outcome().equals("failed")));
    assertEquals(List.of(), FakeServerRecovery.started);
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("reset")));
  }

  @Test
  void aFourthQuarterDrillWithoutATargetStillRunsTheOtherScenarios() {
    DrillWorkflow wf = start("2026-11-21T10:00:00Z", request("quarterly", null, lead()));
    approveWhenWaiting(wf, DrillWorkflow.START, Duration.ZERO);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "database", Duration.ZERO);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "application", Duration.ZERO);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertTrue(af.getOriginalMessage().contains("full-system: the full-system scenario needs a"
        + " server target"), af.getOriginalMessage());
    assertTrue(fake.calls.stream().anyMatch(c -> c.startsWith("restore ")), fake.calls.toString());
    assertTrue(fake.calls.contains("remove farmtally-drill"), fake.calls.toString());
  }

  /**
   * Histories recorded from the real server by the end-to-end tests: a database drill and an
   * application drill approved through the CLI, one whose restore failed (cleaned up, signed
   * off, failed), and a scheduled one cancelled while waiting for its lead.
   */
  @org.junit.jupiter.api.TestFactory
  java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> recordedServerHistoriesReplay()
      throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("src", "test", "resources", "histories", "drill");
    List<java.nio.file.Path> files;
    try (var s = java.nio.file.Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 4, "recorded histories under " + dir);
    return files.stream().map(f -> org.junit.jupiter.api.DynamicTest.dynamicTest(
        f.getFileName().toString(), () -> WorkflowReplayer.replayWorkflowExecution(
            java.nio.file.Files.readString(f), DrillWorkflowImpl.class)));
  }
}
