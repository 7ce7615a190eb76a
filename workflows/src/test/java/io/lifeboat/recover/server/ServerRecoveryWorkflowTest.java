package io.lifeboat.recover.server;

import io.lifeboat.run.TestEnvironments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.rollback.AppState;
import io.lifeboat.rollback.HealthResult;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.lifeboat.rollback.SwapResult;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.StepTiming;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryProgress;
import io.lifeboat.recover.db.RecoveryRequest;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server recovery's order, its two human steps, and a failing step's report. */
class ServerRecoveryWorkflowTest {
  static final String ID = ServerRecoveryWorkflow.workflowId("dr");
  static final List<String> calls = new CopyOnWriteArrayList<>();
  static final List<RecoveryRequest> childRequests = new CopyOnWriteArrayList<>();
  /** The backup id each newestRelease was asked for ("null": the newest). */
  static final List<String> releaseAsked = new CopyOnWriteArrayList<>();
  static final List<RunReport> reports = new CopyOnWriteArrayList<>();
  /** Every report's store request, with the offsite it names. */
  static final List<ReportActivities.StoreReportRequest> stored = new CopyOnWriteArrayList<>();
  /** Set: the report's offsite copy fails with this problem. */
  static volatile String offsiteProblem;
  /** The staging keys the release activities were given. */
  static final List<String> runKeys = new CopyOnWriteArrayList<>();
  static volatile String failIn;

  private TestWorkflowEnvironment env;

  /** The database child: records what it was asked to restore. */
  public static class FakeDatabaseRecovery implements DatabaseRecoveryWorkflow {
    @Override
    public RecoveryResult recover(RecoveryRequest r) {
      calls.add("child " + io.temporal.workflow.Workflow.getInfo().getWorkflowId());
      childRequests.add(r);
      return new RecoveryResult(new RecoveryPlan(RecoveryPlan.PITR, "B1", "k", 1, null, null,
          null, null, null, 1), null, null, "met", List.of(), null, null);
    }

    @Override
    public RecoveryProgress progress() {
      return null;
    }
  }

  static final class Server implements ServerRecoveryActivities {
    private static String call(String what) {
      calls.add(what);
      if (what.startsWith(failIn == null ? "\0" : failIn)) {
        throw FailureKind.CERTBOT_FAILED.failure("certbot: the CA could not reach the domain");
      }
      return what + " ok";
    }

    @Override
    public String newestRelease(StageRequest r) {
      call("newestRelease");
      releaseAsked.add(String.valueOf(r.backupId()));
      return r.backupId() != null ? r.backupId() : "20261121T030000Z-abc";
    }

    @Override
    public String runPlaybook(PlaybookRequest r) {
      return call("playbook " + (r.tags() == null ? "all" : r.tags()) + " @" + r.target().address()
          + " db:" + r.database().port());
    }

    @Override
    public String savePm2(ApplicationConfig a) {
      return call("pm2 save " + a.pm2Home());
    }

    @Override
    public String startNginx(ServerTargetConfig t) {
      return call("nginx");
    }

    @Override
    public String updateDns(ServerTargetConfig t) {
      return call("nsupdate");
    }

    @Override
    public String issueCertificate(ServerTargetConfig t) {
      return call("certbot");
    }

    @Override
    public HttpsCheck checkHttps(HttpsCheckRequest r) {
      call("https " + r.healthPath());
      return new HttpsCheck(true, List.of("200 " + r.target().url() + r.healthPath()), "users=3");
    }
  }

  /** The application whose health check fails (applications[].name), or null. */
  static volatile String unhealthy;

  static final class Release implements RollbackActivities {
    @Override
    public AppState identify(ApplicationConfig a) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StagedRelease stageRelease(StageRequest r) {
      calls.add("stage " + r.backupId() + " into " + r.application().releaseRoot());
      runKeys.add(r.runKey());
      return new StagedRelease("backup " + r.backupId(), r.backupId(), "abc", "/t/.rollback-x", 3);
    }

    @Override
    public void installDependencies(ReleaseStep s) {
      calls.add("npm ci");
      runKeys.add(s.runKey());
    }

    @Override
    public String stopApp(ApplicationConfig a) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SwapResult swapRelease(ReleaseStep s) {
      calls.add("swap");
      runKeys.add(s.runKey());
      return new SwapResult(null, false);
    }

    @Override
    public String startApp(ApplicationConfig a) {
      calls.add("pm2 start " + a.ecosystemFile());
      return "pm2 start";
    }

    @Override
    public HealthResult verifyHealth(ApplicationConfig a) {
      calls.add("health " + a.healthUrl());
      if (a.name().equals(unhealthy)) {
        return new HealthResult(false, List.of("connection refused " + a.healthUrl()), null);
      }
      return new HealthResult(true, List.of("200 " + a.healthUrl()), "abc");
    }
  }

  private static final List<Delivery> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    calls.clear();
    sent.clear();
    runKeys.clear();
    childRequests.clear();
    releaseAsked.clear();
    reports.clear();
    stored.clear();
    offsiteProblem = null;
    failIn = null;
    unhealthy = null;
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ServerRecoveryWorkflowImpl.class,
        FakeDatabaseRecovery.class);
    worker.registerActivitiesImplementations(new Server(), new Release(),
        (NotificationActivities) sent::add,
        new ReportActivities() {
          @Override
          public StoredReport storeReport(StoreReportRequest r) {
            reports.add(r.report());
            stored.add(r);
            return r.offsite() == null
                ? new StoredReport("reports/x.json", "reports/x.md", "reports/x.html")
                : new StoredReport("reports/x.json", "reports/x.md", "reports/x.html",
                    offsiteProblem == null, offsiteProblem);
          }
        });
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static ServerRecoveryRequest request() {
    ServerTargetConfig target = new ServerTargetConfig("dr", "127.0.0.2", "/srv/dr", "farmtally.test",
        8080, 8443, 3301, "farmtally_production", "farmtally",
        new ServerTargetConfig.PostgresTarget("127.0.0.1", 55433, null, "postgres",
            List.of("archive_mode=off")),
        "/inv.ini", "/site.yml", null, null, null, null);
    DatabaseConfig db = new DatabaseConfig("farmtally_production", "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, List.of());
    ApplicationConfig app = new ApplicationConfig("farmtally", "/opt/farmtally", "farmtally",
        "/opt/farmtally/ecosystem.config.js", "/root/.pm2", "http://127.0.0.1:3300/api/health",
        null, null, null, null);
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "b", "p", "us-east-1",
        true, "A", "S", null, null, null, null, null);
    return new ServerRecoveryRequest(target, db, app, repo, 120, 30, "farmtally",
        new RetryConfig(1, 1, 1), null);
  }

  private ServerRecoveryWorkflow start() {
    return start(request());
  }

  private ServerRecoveryWorkflow start(ServerRecoveryRequest req) {
    ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ServerRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build());
    WorkflowClient.start(wf::recover, req);
    return wf;
  }

  @Test
  void tellsPeopleItStartedEveryThirtyMinutesWhileAPersonTakesSeventyAndWhenItFinished() {
    ServerRecoveryRequest b = request();
    ServerRecoveryWorkflow wf = start(new ServerRecoveryRequest(b.target(), b.database(),
        b.application(), b.repository(), b.rtoMinutes(), b.databaseRtoMinutes(), b.estate(),
        b.retry(), io.lifeboat.notify.NotificationTarget.of(new io.lifeboat.config
            .NotificationsConfig(new io.lifeboat.config.NotificationsConfig.Webhook("HOOK"),
            null, 30.0), null, "default")));
    untilWaiting(wf, "provision");
    env.sleep(Duration.ofMinutes(70));
    wf.approve(new ApprovalRequest("provision", "dana", "built", "10.0.0.9"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);

    List<String> events = sent.stream().map(d -> d.notification().event()).toList();
    assertEquals(io.lifeboat.run.RunNews.EVENT_STARTED, events.get(0), events.toString());
    assertEquals(io.lifeboat.run.RunNews.EVENT_FINISHED, events.get(events.size() - 1));
    assertEquals(2, events.stream().filter(io.lifeboat.run.RunNews.EVENT_STATUS::equals).count(),
        events.toString());
    // The person needed: at the start of each human step, then the gate's own reminders.
    assertEquals(io.lifeboat.notify.Notification.EVENT_HUMAN_STEP_WAITING, events.get(1));
    var status = sent.stream().filter(d -> d.notification().event().equals(
        io.lifeboat.run.RunNews.EVENT_STATUS)).findFirst().orElseThrow().notification();
    assertEquals("waiting: provision", status.details().get("Current step"));
    assertTrue(status.details().get("Projected finish").contains("RTO"), status.toString());
  }

  private void untilWaiting(ServerRecoveryWorkflow wf, String step) {
    for (int i = 0; i < 200; i++) {
      if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals(step))) return;
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError(step + " never waited; waiting: " + wf.waitingSteps());
  }

  private static String rejection(Runnable call) {
    Throwable c = assertThrows(WorkflowUpdateException.class, call::run);
    while (c.getCause() != null) c = c.getCause();
    return c instanceof io.temporal.failure.ApplicationFailure af ? af.getOriginalMessage()
        : c.getMessage();
  }

  /**
   * Issue 22: with approvals: only the listed people approve; the step's own list wins; a
   * refusal records nothing; the report names who approved.
   */
  /** --to-point: the database child stops at the point, the release is the point's backup. */
  @Test
  void aRestorePointNamesTheDatabaseTargetAndTheApplicationBackup() {
    io.lifeboat.recover.db.RecoveryTarget point =
        io.lifeboat.recover.db.RecoveryTarget.point("before-migration", "0/3000060");
    ServerRecoveryWorkflow wf = start(request().toPoint(point, "20261120T010000Z-p01"));
    untilWaiting(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "10.0.0.9"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    assertEquals(List.of(point), childRequests.stream().map(RecoveryRequest::target).toList());
    assertEquals(List.of("20261120T010000Z-p01"), releaseAsked);
  }

  /** Without a point: the latest state and the newest release, as before. */
  @Test
  void withoutAPointTheLatestStateAndTheNewestRelease() {
    ServerRecoveryWorkflow wf = start(request());
    untilWaiting(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "10.0.0.9"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals(List.of(io.lifeboat.recover.db.RecoveryTarget.latest()),
        childRequests.stream().map(RecoveryRequest::target).toList());
    assertEquals(List.of("null"), releaseAsked);
  }

  @Test
  void onlyTheConfiguredApproversMayApproveEachStep() {
    ServerRecoveryWorkflow wf = start(request().withApprovals(new io.lifeboat.config
        .ApprovalsConfig(java.util.Map.of("server-recovery", List.of("dana", "erik")),
            java.util.Map.of("dns", List.of("carol")))));
    untilWaiting(wf, "provision");
    assertEquals("mallory may not approve provision; approvers: dana, erik",
        rejection(() -> wf.approve(new ApprovalRequest("provision", "mallory", null,
            "10.0.0.9"))));
    assertEquals(List.of(), wf.approvals());
    wf.approve(new ApprovalRequest("provision", "erik", "built", "10.0.0.9"));
    untilWaiting(wf, "dns");
    assertEquals("dana may not approve dns; approvers: carol",
        rejection(() -> wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"))));
    wf.approve(new ApprovalRequest("dns", "carol", null, "10.0.0.9"));
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals("erik: built", r.report().facts().get("Provisioned by"), r.report().facts()
        .toString());
    assertTrue(r.report().facts().get("DNS").endsWith("changed by carol"),
        r.report().facts().toString());
  }

  @Test
  void runsTheRunbookInOrderAndWaitsForPeopleWithoutDoingAnything() throws Exception {
    ServerRecoveryWorkflow wf = start();
    String runId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
    untilWaiting(wf, "provision");
    env.sleep(Duration.ofMinutes(20)); // a person takes their time: nothing may run meanwhile
    assertEquals(List.of(), calls);
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("provision", "dana", null,
        "dr.example"))).contains("IP address"));
    wf.approve(new ApprovalRequest("provision", "dana", "built", "10.0.0.9"));
    untilWaiting(wf, "dns");
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.1")))
        .contains("at 10.0.0.9"));
    env.sleep(Duration.ofMinutes(10));
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);

    assertEquals(List.of(
        "playbook all @10.0.0.9 db:55433",
        "child " + ServerRecoveryWorkflow.databaseWorkflowId("dr", "farmtally_production"),
        "newestRelease",
        "stage 20261121T030000Z-abc into /srv/dr/app/farmtally",
        "npm ci",
        "swap",
        "pm2 start /srv/dr/app/farmtally/ecosystem.config.js",
        "pm2 save /srv/dr/pm2",
        "health http://10.0.0.9:3301/api/health",
        "nginx",
        "certbot",
        "playbook tls @10.0.0.9 db:55433",
        "nginx",
        "https /api/health"), calls);
    // The child restores production's database into the target's own cluster.
    RecoveryRequest child = childRequests.get(0);
    assertEquals(55433, child.database().port());
    assertEquals("/srv/dr/postgresql/data", child.database().recovery().dataDirectory());
    assertEquals("farmtally_production", child.database().name());
    assertEquals(List.of("archive_mode=off"), child.database().recovery().serverSettings());

    assertEquals(List.of("provision", "configure", "database", "application", "services", "dns",
        "tls", "health"), r.steps().stream().map(StepTiming::step).toList());
    assertTrue(r.steps().get(0).humanWaitMillis() >= Duration.ofMinutes(20).toMillis());
    assertTrue(r.steps().get(5).humanWaitMillis() >= Duration.ofMinutes(10).toMillis());
    assertEquals(r.humanWaitMillis(), r.steps().get(0).humanWaitMillis()
        + r.steps().get(5).humanWaitMillis());
    assertEquals("10.0.0.9", r.address());
    assertEquals("https://farmtally.test:8443", r.url());
    assertEquals(LifeboatSearchAttributes.RTO_MET, r.rtoStatus());
    assertEquals(RunReport.SUCCEEDED, reports.get(0).outcome());
    assertEquals("users=3", reports.get(0).facts().get("Data served"));
    // The release is staged under the random END of the run id (RunKeys): its first 8
    // characters are the server's clock (UUIDv7), shared by every run of the same minute.
    assertEquals(List.of(RunKeys.of(runId), RunKeys.of(runId), RunKeys.of(runId)), runKeys);
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        ServerRecoveryWorkflowImpl.class);
  }

  /** With servers[].provisionPlaybook nobody is asked: the playbook builds the host first. */
  @Test
  void aProvisionPlaybookReplacesThePersonWhoBuildsTheServer() {
    ServerRecoveryRequest base = request();
    ServerTargetConfig t = base.target();
    ServerTargetConfig withPlaybook = new ServerTargetConfig(t.name(), t.address(), t.root(),
        t.domain(), t.httpPort(), t.httpsPort(), t.appPort(), t.database(), t.application(),
        t.postgres(), t.inventory(), t.playbook(), "/provision.yml", t.acme(), t.dns(),
        t.production());
    ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ServerRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build());
    WorkflowClient.start(wf::recover, new ServerRecoveryRequest(withPlaybook, base.database(),
        base.application(), base.repository(), base.rtoMinutes(), base.databaseRtoMinutes(),
        base.estate(), base.retry(), base.notifications()));
    untilWaiting(wf, "dns");
    assertEquals(List.of(), wf.approvals(), "nobody approved provisioning");
    // provision.yml, then site.yml: both against the configured address
    assertEquals(List.of("playbook all @127.0.0.2 db:55433", "playbook all @127.0.0.2 db:55433"),
        calls.subList(0, 2));
    wf.approve(new ApprovalRequest("dns", "dana", null, null));
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    StepTiming provision = r.steps().get(0);
    assertEquals("provision", provision.step());
    assertEquals(0, provision.humanWaitMillis(), "a machine step: " + provision);
    assertTrue(reports.get(0).facts().get("Provisioned by").startsWith("/provision.yml: "),
        reports.get(0).facts().toString());
  }

  @Test
  void aFailingStepEndsTheRunWithItsReasonAndAFailedReport() {
    failIn = "certbot";
    ServerRecoveryWorkflow wf = start();
    untilWaiting(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "127.0.0.2"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, null));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class));
    Throwable c = e;
    while (c.getCause() != null) c = c.getCause();
    assertTrue(c.getMessage().contains("could not reach the domain"), c.getMessage());
    assertTrue(calls.stream().noneMatch(s -> s.startsWith("https")), calls.toString());
    RunReport failed = reports.get(0);
    assertEquals(RunReport.FAILED, failed.outcome());
    assertTrue(failed.notes().get(0).startsWith("failed in step tls: "), failed.notes().toString());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, env.getWorkflowClient()
        .newUntypedWorkflowStub(ID).describe().getTypedSearchAttributes()
        .get(LifeboatSearchAttributes.OUTCOME));
  }

  static final io.lifeboat.config.OffsiteConfig OFFSITE = new io.lifeboat.config.OffsiteConfig(
      "http://127.0.0.1:9100", "farmtally-offsite", null, null, null,
      "LIFEBOAT_OFFSITE_ACCESS_KEY", "LIFEBOAT_OFFSITE_SECRET_KEY", null, null, null, null);

  /**
   * Issue 22: the report is copied offsite as soon as it is stored (the store request names the
   * offsite, and so do the database children's requests); a failed copy never fails the run.
   */
  @Test
  void theReportGoesOffsiteWhenStoredAndAFailedCopyIsNotTheRunsFailure() {
    offsiteProblem = "offsite unreachable: connection refused";
    ServerRecoveryWorkflow wf = start(request().withReportsOffsite(OFFSITE));
    untilWaiting(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "10.0.0.9"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    assertEquals(1, stored.size(), stored.toString());
    assertEquals(OFFSITE, stored.get(0).offsite());
    assertTrue(!childRequests.isEmpty());
    assertEquals(List.of(OFFSITE), childRequests.stream()
        .map(RecoveryRequest::reportsOffsite).distinct().toList());
  }

  /** Without an offsite in the request (old histories, drills): no offsite copy asked. */
  @Test
  void withoutAnOffsiteTheStoreRequestNamesNone() {
    ServerRecoveryWorkflow wf = start();
    untilWaiting(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "10.0.0.9"));
    untilWaiting(wf, "dns");
    wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals(1, stored.size(), stored.toString());
    assertEquals(null, stored.get(0).offsite());
    assertEquals(java.util.Collections.singletonList(null), childRequests.stream()
        .map(RecoveryRequest::reportsOffsite).distinct().toList());
  }

  /** `recover server`'s request: the configured offsite, unless it reads from the offsite. */
  @Test
  void theRequestFromTheConfigCarriesTheOffsiteUnlessItReadsFromIt() {
    io.lifeboat.config.LifeboatConfig c = new io.lifeboat.config.ConfigLoader().load(
        java.nio.file.Path.of("..").toAbsolutePath().normalize()
            .resolve("examples/farmtally/lifeboat.yml"));
    assertTrue(c.offsite() != null, "the example configures an offsite");
    ServerTargetConfig target = c.servers().get(0);
    DatabaseConfig db = c.databases().stream()
        .filter(d -> d.name().equals(target.database())).findFirst().orElseThrow();
    ApplicationConfig app = c.applications().stream()
        .filter(a -> a.name().equals(target.application())).findFirst().orElseThrow();
    assertEquals(c.offsite(), ServerRecoveryWorkflow.request(c, target, db, app).reportsOffsite());
    assertEquals(c.offsite(), ServerRecoveryWorkflow.request(c, target, db, app, null)
        .reportsOffsite());
    assertEquals(null, ServerRecoveryWorkflow.request(c, target, db, app,
        io.lifeboat.config.RepositoryChoice.OFFSITE).reportsOffsite());
    // Kept through the CLI's later steps.
    assertEquals(c.offsite(), ServerRecoveryWorkflow.request(c, target, db, app)
        .withPreviousSteps(java.util.Map.of("provision", 1L))
        .toPoint(io.lifeboat.recover.db.RecoveryTarget.latest(), "x").reportsOffsite());
  }
}
