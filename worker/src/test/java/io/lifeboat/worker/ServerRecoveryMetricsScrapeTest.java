package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.db.RecoveryMetrics;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryProgress;
import io.lifeboat.recover.db.RecoveryRequest;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.recover.server.HttpsCheck;
import io.lifeboat.recover.server.HttpsCheckRequest;
import io.lifeboat.recover.server.PlaybookRequest;
import io.lifeboat.recover.server.ServerRecoveryActivities;
import io.lifeboat.recover.server.ServerRecoveryMetrics;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.lifeboat.recover.server.ServerRecoveryRequest;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.recover.server.ServerRecoveryWorkflow;
import io.lifeboat.recover.server.ServerRecoveryWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A server recovery (activities faked) whose provisioning waits for a person past 80 % of its
 * RTO: /metrics says it is at risk while it waits, then gives each step's machine and human
 * time, the recovery's duration against its RTO (kind server), and at-risk 0 once it ended.
 */
class ServerRecoveryMetricsScrapeTest {
  private static final String QUEUE = "server-metrics-test";
  private static final String DB = "farmtally_production";

  /** The database child: done at once. */
  public static class FakeDatabaseRecovery implements DatabaseRecoveryWorkflow {
    @Override
    public RecoveryResult recover(RecoveryRequest r) {
      return new RecoveryResult(new RecoveryPlan(RecoveryPlan.PITR, "B1", "k", 1, null, null,
          null, null, null, 1), null, null, "met", List.of(), null, null);
    }

    @Override
    public RecoveryProgress progress() {
      return null;
    }
  }

  static final class Fake implements ServerRecoveryActivities, RollbackActivities,
      ReportActivities {
    @Override public String newestRelease(StageRequest r) {
      return "20261121T030000Z-abc";
    }
    @Override public String runPlaybook(PlaybookRequest r) {
      return "ok=9 changed=0";
    }
    @Override public String savePm2(ApplicationConfig a) {
      return "saved";
    }
    @Override public String startNginx(ServerTargetConfig t) {
      return "nginx";
    }
    @Override public String updateDns(ServerTargetConfig t) {
      return "nsupdate";
    }
    @Override public String issueCertificate(ServerTargetConfig t) {
      return "certificate";
    }
    @Override public HttpsCheck checkHttps(HttpsCheckRequest r) {
      return new HttpsCheck(true, List.of("200"), "users=3");
    }
    @Override public AppState identify(ApplicationConfig a) {
      throw new UnsupportedOperationException();
    }
    @Override public StagedRelease stageRelease(StageRequest r) {
      return new StagedRelease("backup", r.backupId(), "abc", "/t/.rollback-x", 3);
    }
    @Override public void installDependencies(ReleaseStep s) { }
    @Override public String stopApp(ApplicationConfig a) {
      throw new UnsupportedOperationException();
    }
    @Override public SwapResult swapRelease(ReleaseStep s) {
      return new SwapResult(null, false);
    }
    @Override public String startApp(ApplicationConfig a) {
      return "pm2 start";
    }
    @Override public HealthResult verifyHealth(ApplicationConfig a) {
      return new HealthResult(true, List.of("200"), "abc");
    }
    @Override public StoredReport storeReport(StoreReportRequest r) {
      return new StoredReport("reports/x.json", "reports/x.md", "reports/x.html");
    }
  }

  static ServerRecoveryRequest request() {
    ServerTargetConfig target = new ServerTargetConfig("dr", "127.0.0.2", "/srv/dr",
        "farmtally.test", 8080, 8443, 3301, DB, "farmtally",
        new ServerTargetConfig.PostgresTarget("127.0.0.1", 55433, null, "postgres", List.of()),
        "/inv.ini", "/site.yml", null, null, null, null);
    DatabaseConfig db = new DatabaseConfig(DB, "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, List.of());
    ApplicationConfig app = new ApplicationConfig("farmtally", "/opt/farmtally", "farmtally",
        "/opt/farmtally/ecosystem.config.js", "/root/.pm2", "http://127.0.0.1:3300/api/health",
        null, null, null, null);
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "b", "p", "us-east-1",
        true, "A", "S", null, null, null, null, null);
    // RTO 120 min: at risk after 96.
    return new ServerRecoveryRequest(target, db, app, repo, 120, 30, "farmtally",
        new RetryConfig(1, 1, 1), null);
  }

  @Test
  void atRiskWhileAPersonIsLateThenStepTimesAndTheRtoAreScraped() throws Exception {
    WorkerMetrics metrics = new WorkerMetrics();
    MetricsServer server = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry());
    TestEnvironmentOptions.Builder o = TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-11-21T10:00:00Z")).setMetricsScope(metrics.scope());
    for (var key : LifeboatSearchAttributes.ALL) {
      o.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(o.build());
    try {
      Worker worker = env.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(ServerRecoveryWorkflowImpl.class,
          FakeDatabaseRecovery.class);
      worker.registerActivitiesImplementations(new Fake(),
          (io.lifeboat.notify.NotificationActivities) d -> { });
      env.start();
      ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
          ServerRecoveryWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId(ServerRecoveryWorkflow.workflowId("dr")).setTaskQueue(QUEUE).build());
      WorkflowClient.start(wf::recover, request());
      untilWaiting(env, wf, "provision");
      env.sleep(Duration.ofMinutes(100)); // the person who builds the server is late
      ServerRecoveryProgress p = wf.progress();
      assertEquals(LifeboatSearchAttributes.RTO_AT_RISK, p.rtoStatus());
      Map<String, String> dr = Map.of("target", "dr");
      Scrape late = scrape(server, s -> s.find(ServerRecoveryMetrics.AT_RISK, dr).isPresent());
      assertEquals(1.0, late.find(ServerRecoveryMetrics.AT_RISK, dr).orElseThrow().value(),
          late.text());

      wf.approve(new ApprovalRequest("provision", "dana", null, "127.0.0.2"));
      untilWaiting(env, wf, "dns");
      wf.approve(new ApprovalRequest("dns", "dana", null, "127.0.0.2"));
      ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
      assertEquals(LifeboatSearchAttributes.RTO_MET, r.rtoStatus());

      Map<String, String> provision = Map.of("target", "dr", "step", "provision");
      Map<String, String> server1 = Map.of("database", DB, "kind", ServerRecoveryMetrics.KIND);
      List<String> steps = List.of("configure", "database", "application", "services", "tls",
          "health");
      List<Map.Entry<String, Map<String, String>>> expected = new java.util.ArrayList<>(List.of(
          Map.entry(ServerRecoveryMetrics.STEP_HUMAN, provision),
          Map.entry(RecoveryMetrics.DURATION, server1), Map.entry(RecoveryMetrics.RTO_MET, server1),
          Map.entry(RecoveryMetrics.RTO_TARGET, Map.of("kind", ServerRecoveryMetrics.KIND))));
      for (String step : steps) {
        Map<String, String> tags = Map.of("target", "dr", "step", step);
        expected.add(Map.entry(ServerRecoveryMetrics.STEP, tags));
        expected.add(Map.entry(ServerRecoveryMetrics.STEP_HUMAN, tags));
      }
      Scrape done = scrape(server, s -> s.hasAll(expected)
          && s.find(ServerRecoveryMetrics.AT_RISK, dr).map(x -> x.value() == 0).orElse(false));
      for (String name : ServerRecoveryMetrics.ALL) {
        assertTrue(done.text().contains("# HELP " + name + " "
            + ServerRecoveryMetrics.HELP.get(name)), "HELP of " + name + " in:\n" + done.text());
      }
      assertTrue(done.find(ServerRecoveryMetrics.STEP_HUMAN, provision).orElseThrow().value()
          >= 100 * 60, done.text());
      for (String step : steps) {
        Map<String, String> tags = Map.of("target", "dr", "step", step);
        assertTrue(done.find(ServerRecoveryMetrics.STEP, tags).isPresent(), step + ":\n"
            + done.text());
        assertEquals(0.0, done.find(ServerRecoveryMetrics.STEP_HUMAN, tags).orElseThrow()
            .value(), step);
      }
      assertTrue(done.find(RecoveryMetrics.DURATION, server1).orElseThrow().value() >= 100 * 60);
      assertEquals(1.0, done.find(RecoveryMetrics.RTO_MET, server1).orElseThrow().value());
      assertEquals(7200.0, done.find(RecoveryMetrics.RTO_TARGET,
          Map.of("kind", ServerRecoveryMetrics.KIND)).orElseThrow().value());
    } finally {
      env.close();
      server.close();
      metrics.close();
    }
  }

  private static void untilWaiting(TestWorkflowEnvironment env, ServerRecoveryWorkflow wf,
      String step) {
    for (int i = 0; i < 200; i++) {
      if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals(step))) return;
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError(step + " never waited");
  }

  /** Scrapes until {@code ready} (the scope reports every second). */
  private static Scrape scrape(MetricsServer server, Predicate<Scrape> ready) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Scrape s = null;
    for (int i = 0; i < 100; i++) {
      s = Scrape.parse(http.send(HttpRequest.newBuilder(server.uri())
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
      if (ready.test(s)) return s;
      Thread.sleep(200);
    }
    return s;
  }
}
