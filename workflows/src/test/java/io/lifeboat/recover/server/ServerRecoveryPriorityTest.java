package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.TargetItem;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryProgress;
import io.lifeboat.recover.db.RecoveryRequest;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a target of several databases and applications restores them by priority (all P1
 * before any P2; within a priority the databases first), names each with its priority in the
 * report, and stops at an item that fails, saying which did not start.
 */
class ServerRecoveryPriorityTest {
  static final List<RecoveryRequest> children = new CopyOnWriteArrayList<>();
  static final List<RunReport> reports = new CopyOnWriteArrayList<>();
  static volatile String failDatabase;

  private TestWorkflowEnvironment env;

  /** The database child: records the database and where it goes; fails for failDatabase. */
  public static class Child implements DatabaseRecoveryWorkflow {
    @Override
    public RecoveryResult recover(RecoveryRequest r) {
      ServerRecoveryWorkflowTest.calls.add("child " + r.database().name());
      children.add(r);
      if (r.database().name().equals(failDatabase)) {
        throw FailureKind.BACKUP_CORRUPT.failure("no base backup of " + r.database().name());
      }
      return new RecoveryResult(new RecoveryPlan(RecoveryPlan.PITR, "B-" + r.database().name(),
          "k", 1, null, null, null, null, null, 1), null, null, "met", List.of(), null, null);
    }

    @Override
    public RecoveryProgress progress() {
      return null;
    }
  }

  @BeforeEach
  void setUp() {
    ServerRecoveryWorkflowTest.calls.clear();
    children.clear();
    reports.clear();
    failDatabase = null;
    ServerRecoveryWorkflowTest.unhealthy = null;
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ServerRecoveryWorkflowImpl.class, Child.class);
    worker.registerActivitiesImplementations(new ServerRecoveryWorkflowTest.Server(),
        new ServerRecoveryWorkflowTest.Release(), (NotificationActivities) d -> { },
        new ReportActivities() {
          @Override
          public StoredReport storeReport(StoreReportRequest r) {
            reports.add(r.report());
            return new StoredReport("reports/x.json", "reports/x.md", "reports/x.html");
          }
        });
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /**
   * dr restores farmtally_production (its own database) at P2, analytics at P1, the farmtally
   * app at P2 and a reports app (on analytics, port 3402 on the target) at P3: listed out of
   * order on purpose.
   */
  static ServerRecoveryRequest request() {
    ServerRecoveryRequest b = ServerRecoveryWorkflowTest.request();
    ServerTargetConfig t = b.target();
    ServerTargetConfig target = new ServerTargetConfig(t.name(), t.address(), t.root(),
        t.domain(), t.httpPort(), t.httpsPort(), t.appPort(), t.database(), t.application(),
        t.postgres(), t.inventory(), t.playbook(), null, null, null, null, null,
        List.of(new TargetItem("farmtally_production", "P2", null, null),
            new TargetItem("analytics", "1", 55444, null)),
        List.of(new TargetItem("reports", "P3", 3402, "analytics"),
            new TargetItem("farmtally", "p2", null, null)), null);
    DatabaseConfig analytics = new DatabaseConfig("analytics", "127.0.0.1", 55440, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, List.of());
    ApplicationConfig reportsApp = new ApplicationConfig("reports", "/opt/reports", "reports",
        null, "/root/.pm2", "http://127.0.0.1:3400/health", null, null, null, null);
    List<RestoreItem> items = List.of(
        RestoreItem.application(reportsApp, 3, 15, "analytics"),
        RestoreItem.application(b.application(), 2, 15, "farmtally_production"),
        RestoreItem.database(b.database(), 2, 30),
        RestoreItem.database(analytics, 1, 30));
    return new ServerRecoveryRequest(target, b.database(), b.application(), b.repository(),
        b.rtoMinutes(), b.databaseRtoMinutes(), b.estate(), b.retry(), null).withItems(items);
  }

  private WorkflowStub run(ServerRecoveryRequest req) {
    ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ServerRecoveryWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(ServerRecoveryWorkflowTest.ID).setTaskQueue(TaskQueues.DEFAULT)
            .build());
    WorkflowClient.start(wf::recover, req);
    until(wf, "provision");
    wf.approve(new ApprovalRequest("provision", "dana", null, "10.0.0.9"));
    if (failDatabase == null && ServerRecoveryWorkflowTest.unhealthy == null) {
      until(wf, "dns");
      wf.approve(new ApprovalRequest("dns", "dana", null, "10.0.0.9"));
    }
    if (ServerRecoveryWorkflowTest.unhealthy != null) endsBeforeDns(wf);
    return WorkflowStub.fromTyped(wf);
  }

  /** Waits until the run ended; one that gets as far as the dns step fails the test. */
  private void endsBeforeDns(ServerRecoveryWorkflow wf) {
    for (int i = 0; i < 200; i++) {
      try {
        WorkflowStub.fromTyped(wf).getResult(1, java.util.concurrent.TimeUnit.SECONDS,
            ServerRecoveryResult.class);
        return;
      } catch (WorkflowFailedException ended) {
        return;
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals("dns"))) {
          throw new AssertionError("the services step passed with "
              + ServerRecoveryWorkflowTest.unhealthy + " not answering");
        }
        env.sleep(Duration.ofSeconds(10));
      }
    }
    throw new AssertionError("the run never ended");
  }

  private void until(ServerRecoveryWorkflow wf, String step) {
    for (int i = 0; i < 200; i++) {
      if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals(step))) return;
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError(step + " never waited; waiting: " + wf.waitingSteps());
  }

  /** What the restore part did, in order: the children and the release stagings. */
  private static List<String> restoreCalls() {
    return ServerRecoveryWorkflowTest.calls.stream()
        .filter(c -> c.startsWith("child ") || c.startsWith("stage ")).toList();
  }

  @Test
  void allP1BeforeAnyP2AndEachDatabaseBeforeItsApplications() {
    ServerRecoveryResult r = run(request()).getResult(ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    assertEquals(List.of("child analytics", "child farmtally_production",
        "stage 20261121T030000Z-abc into /srv/dr/app/farmtally",
        "stage 20261121T030000Z-abc into /srv/dr/app/reports"), restoreCalls());
    // Each database onto its own cluster: the target's own at postgres.port, the other at
    // the port its entry gives, in a data directory of its own.
    Map<String, RecoveryRequest> byName = new java.util.HashMap<>();
    children.forEach(c -> byName.put(c.database().name(), c));
    assertEquals(55433, byName.get("farmtally_production").database().port());
    assertEquals("/srv/dr/postgresql/data",
        byName.get("farmtally_production").database().recovery().dataDirectory());
    assertEquals(55444, byName.get("analytics").database().port());
    assertEquals("/srv/dr/postgresql/analytics-data",
        byName.get("analytics").database().recovery().dataDirectory());
    // The steps: the target's own items keep their names, the others name themselves.
    List<String> steps = r.steps().stream().map(StepTiming::step).toList();
    assertEquals(List.of("provision", "configure", "database:analytics", "database",
        "application", "application:reports", "services", "dns", "tls", "health"), steps);
    // The report names each item with its priority, in order, against its RTO.
    Map<String, String> facts = r.report().facts();
    assertEquals("P1 database analytics, P2 database farmtally_production, P2 application"
        + " farmtally, P3 application reports", facts.get("Restore order"));
    assertTrue(facts.get("P1 database analytics").contains("from B-analytics")
        && facts.get("P1 database analytics").contains("(RTO 30 min: met)"), facts.toString());
    assertTrue(facts.get("P3 application reports").contains("(RTO 15 min: "), facts.toString());
    assertTrue(facts.get("Release").contains("commit abc"), facts.toString());
    List<String> keys = List.copyOf(facts.keySet());
    assertTrue(keys.indexOf("P1 database analytics") < keys.indexOf("P2 database"
        + " farmtally_production") && keys.indexOf("P2 application farmtally")
        < keys.indexOf("P3 application reports"), keys.toString());
  }

  /** What the services step did, in order: PM2 starts, the save, the health checks, nginx. */
  private static List<String> serviceCalls() {
    List<String> all = ServerRecoveryWorkflowTest.calls;
    int from = all.indexOf("swap");
    while (all.subList(from + 1, all.size()).contains("swap")) {
      from = all.subList(from + 1, all.size()).indexOf("swap") + from + 1;
    }
    return all.subList(from + 1, all.indexOf("nginx") + 1);
  }

  @Test
  void theServicesStepStartsAndChecksEveryApplicationByPriority() {
    ServerRecoveryResult r = run(request()).getResult(ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    // Each application from its own ecosystem file, one pm2 save, then each one's health where
    // it listens on the target: farmtally on appPort, reports on the port its entry gives.
    assertEquals(List.of("pm2 start /srv/dr/app/farmtally/ecosystem.config.js",
        "pm2 start /srv/dr/app/reports/ecosystem.config.js", "pm2 save /srv/dr/pm2",
        "health http://10.0.0.9:3301/api/health", "health http://10.0.0.9:3402/health",
        "nginx"), serviceCalls());
    String services = r.report().facts().get("Services");
    assertTrue(services.startsWith("farmtally: pm2 start; reports: pm2 start; pm2 save")
        && services.contains("reports healthy at http://10.0.0.9:3402/health"), services);
  }

  @Test
  void anApplicationThatDoesNotAnswerFailsTheServicesStepNamingIt() {
    ServerRecoveryWorkflowTest.unhealthy = "reports";
    WorkflowStub stub = run(request());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> stub.getResult(ServerRecoveryResult.class));
    Throwable c = e;
    while (c.getCause() != null) c = c.getCause();
    assertTrue(c.getMessage().contains("application reports does not answer on the target:"
        + " connection refused http://10.0.0.9:3402/health"), c.getMessage());
    assertTrue(c instanceof io.temporal.failure.ApplicationFailure a
        && a.getType().equals(FailureKind.APP_UNHEALTHY.type()), c.toString());
    RunReport failed = reports.get(reports.size() - 1);
    assertTrue(failed.notes().get(0).startsWith("failed in step services: "),
        failed.notes().toString());
  }

  @Test
  void aFailingItemStopsTheRunAndTheReportSaysWhatDidNotStart() {
    failDatabase = "farmtally_production";
    WorkflowStub stub = run(request());
    assertThrows(WorkflowFailedException.class, () -> stub.getResult(ServerRecoveryResult.class));
    // analytics (P1) was restored; the P2 database failed; no application was touched.
    assertEquals(List.of("child analytics", "child farmtally_production"), restoreCalls());
    RunReport failed = reports.get(reports.size() - 1);
    assertEquals(RunReport.FAILED, failed.outcome());
    Map<String, String> facts = failed.facts();
    assertTrue(facts.get("P1 database analytics").contains("restored in"), facts.toString());
    assertTrue(facts.get("P2 database farmtally_production").startsWith("failed after"),
        facts.toString());
    assertEquals("not started", facts.get("P2 application farmtally"));
    assertEquals("not started", facts.get("P3 application reports"));
    assertTrue(failed.notes().get(0).startsWith("failed in step database: "),
        failed.notes().toString());
  }

  @Test
  void aRequestWithoutItemsRestoresTheDatabaseThenTheApplication() {
    ServerRecoveryRequest old = ServerRecoveryWorkflowTest.request();
    ServerRecoveryResult r = run(old).getResult(ServerRecoveryResult.class);
    assertEquals(List.of("child farmtally_production",
        "stage 20261121T030000Z-abc into /srv/dr/app/farmtally"), restoreCalls());
    assertEquals("P1 database farmtally_production, P1 application farmtally",
        r.report().facts().get("Restore order"));
  }
}
