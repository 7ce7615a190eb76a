package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.check.CheckMetrics;
import io.lifeboat.check.CheckReport;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.RepositoryCheckActivities;
import io.lifeboat.check.RepositoryCheckRequest;
import io.lifeboat.check.RepositoryCheckWorkflow;
import io.lifeboat.check.RepositoryCheckWorkflowImpl;
import io.lifeboat.check.SourceCheck;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.lifeboat.verify.BackupVerificationWorkflow;
import io.lifeboat.verify.BackupVerificationWorkflowImpl;
import io.lifeboat.verify.DatabaseVerificationActivities;
import io.lifeboat.verify.DumpTarget;
import io.lifeboat.verify.IntegrityResult;
import io.lifeboat.verify.NewestBackup;
import io.lifeboat.verify.RecordRequest;
import io.lifeboat.verify.RestoreCheckRequest;
import io.lifeboat.verify.RestoreCheckResult;
import io.lifeboat.verify.ScratchDatabase;
import io.lifeboat.verify.VerificationMetrics;
import io.lifeboat.verify.VerificationRequest;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A verification that finds one good and one corrupt backup, and a check that finds a stale
 * one, with the worker's metrics wiring; then /metrics is read over HTTP.
 */
class VerificationMetricsScrapeTest {
  private static final Instant START = Instant.parse("2026-11-21T05:30:00Z");
  private static final String QUEUE = "verify-metrics-test";
  private static final String GOOD = "farmtally_production";
  private static final String BAD = "farmtally_corrupt";

  private WorkerMetrics metrics;
  private MetricsServer server;
  private TestWorkflowEnvironment env;

  /** Verifier activities: the BAD database's dump fails its checksum. */
  static final class Fake implements DatabaseVerificationActivities, RepositoryCheckActivities,
      NotificationActivities {
    @Override public NewestBackup findNewest(RepositoryConfig r, DatabaseConfig d) {
      return new NewestBackup(new BackupManifest(1, "20261121T020000Z", "db-full", d.name(), "h",
          "15", "2026-11-21T02:00:00Z", "2026-11-21T02:01:00Z", 10, 5, "aa", "zstd", "k", null,
          "STANDARD", "none", Map.of(), "", "w"));
    }
    @Override public IntegrityResult checkIntegrity(DumpTarget t) {
      if (t.manifest().database().equals(BAD)) {
        throw FailureKind.BACKUP_CORRUPT.failure("sha256 mismatch");
      }
      return new IntegrityResult("aa", 5, 10, 3);
    }
    @Override public RestoreCheckResult restoreAndValidate(RestoreCheckRequest r) {
      return new RestoreCheckResult(2, List.of());
    }
    @Override public void dropScratch(ScratchDatabase s) { }
    @Override public String recordVerification(RecordRequest r) {
      return "k/verification.json";
    }
    @Override public CheckReport check(io.lifeboat.check.CheckRequest r) {
      return new CheckReport(r.nowMillis(), List.of(new SourceCheck("db-full", GOOD, 9,
          "20261119T020000Z", 56 * 3600, false, true, List.of("stale")),
          new SourceCheck("redis", "cache", 3, "20261121T040000Z", 5400, true, true, List.of(),
              Instant.parse("2026-11-21T04:00:00Z").toEpochMilli(), 4096)), true,
          new io.lifeboat.drill.DrillKpis(4, 3, 0.75, 0.875, List.of(
              new io.lifeboat.drill.DrillKpis.CadenceKpi("monthly", true, 2, 0.5, false),
              new io.lifeboat.drill.DrillKpis.CadenceKpi("quarterly", false, 0, 1.0, false)),
              List.of(new io.lifeboat.drill.DrillKpis.ScenarioKpi("database", 4, 95_000,
                  900_000, true))));
    }
    @Override public void deliver(io.lifeboat.notify.Delivery d) {
      if (d.channel().equals("email")) throw FailureKind.NOTIFY_FAILED.failure("refused");
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    metrics = new WorkerMetrics();
    server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        metrics.registry());
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(START).setMetricsScope(metrics.scope())
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build());
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BackupVerificationWorkflowImpl.class,
        RepositoryCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(new Fake());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    server.close();
    metrics.close();
  }

  private Scrape scrapeUntil(Predicate<Scrape> ready) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri()).build(),
          HttpResponse.BodyHandlers.ofString());
      Scrape s = Scrape.parse(r.body());
      if (ready.test(s) || System.nanoTime() > deadline) return s;
      Thread.sleep(200);
    }
  }

  private static Map<String, String> withOutcome(Map<String, String> labels, String outcome) {
    var m = new java.util.HashMap<>(labels);
    m.put("outcome", outcome);
    return m;
  }

  /** Summed over events: one counter series per channel and event. */
  private static double sum(Scrape s, String name, String channel) {
    return s.samples().stream().filter(x -> x.name().equals(name)
        && channel.equals(x.labels().get("channel"))).mapToDouble(Scrape.Sample::value).sum();
  }

  @Test
  void verificationCheckAndNotificationMetricsAreServed() throws Exception {
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "b1b", "lifeboat", null,
        null, "A", "B", null, null, null, null, null);
    NotificationTarget notify = NotificationTarget.of(new NotificationsConfig(
        new NotificationsConfig.Webhook("HOOK"), new NotificationsConfig.Email("127.0.0.1", 25,
            "l@f.test", List.of("o@f.test"), null, null, null)), "http://ui", "default");
    List<DatabaseConfig> dbs = List.of(GOOD, BAD).stream().map(n -> new DatabaseConfig(n,
        "127.0.0.1", 55432, "lifeboat", null, null, null)).toList();
    env.getWorkflowClient().newWorkflowStub(BackupVerificationWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("verify").setTaskQueue(QUEUE).build())
        .verify(new VerificationRequest(dbs, repo, true, new RetryConfig(1, 1, 1), notify));
    env.getWorkflowClient().newWorkflowStub(RepositoryCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("check").setTaskQueue(QUEUE).build())
        .check(new RepositoryCheckRequest(List.of(new CheckSource("db-full", GOOD)), repo,
            ChecksConfig.DEFAULT, "UTC", new RetryConfig(1, 1, 1), notify));

    Map<String, String> bad = Map.of("source", BAD, "kind", "db-full");
    Map<String, String> good = Map.of("source", GOOD, "kind", "db-full");
    Map<String, String> cache = Map.of("source", "cache", "kind", "redis");
    // The notifications are counted by the notifier's activities, which may still be running
    // (the email's retries) when the workflows have returned; every series asserted on below is
    // waited for (see Scrape.hasAll: CI once served one source's check series, not the next's).
    List<Map.Entry<String, Map<String, String>>> expected = List.of(
        Map.entry(VerificationMetrics.SUCCESS, bad), Map.entry(VerificationMetrics.SUCCESS, good),
        Map.entry(VerificationMetrics.LAST_TIMESTAMP, bad),
        Map.entry(CheckMetrics.FRESH, good), Map.entry(CheckMetrics.RETENTION_COMPLIANT, good),
        Map.entry(CheckMetrics.NEWEST_AGE_SECONDS, good),
        Map.entry(CheckMetrics.NEWEST_TIMESTAMP, cache), Map.entry(CheckMetrics.NEWEST_BYTES, cache),
        Map.entry(CheckMetrics.FRESH, cache),
        Map.entry(io.lifeboat.drill.DrillMetrics.RUNS, Map.of()),
        Map.entry(io.lifeboat.drill.DrillMetrics.SUCCESS_RATIO, Map.of()),
        Map.entry(io.lifeboat.drill.DrillMetrics.ADHERENCE_RATIO, Map.of()),
        Map.entry(io.lifeboat.drill.DrillMetrics.CADENCE_RATIO, Map.of("cadence", "monthly")),
        Map.entry(io.lifeboat.drill.DrillMetrics.LAST_RTO_SECONDS, Map.of("scenario", "database")),
        Map.entry(io.lifeboat.drill.DrillMetrics.RTO_TARGET_SECONDS,
            Map.of("scenario", "database")));
    Scrape s = scrapeUntil(x -> x.hasAll(expected)
        && x.find(VerificationMetrics.RUNS_TOTAL, withOutcome(bad, "failed")).isPresent()
        && sum(x, Notifier.SENT_TOTAL, "webhook") >= 2
        && sum(x, Notifier.FAILED_TOTAL, "email") >= 2);

    assertEquals(0.0, s.find(VerificationMetrics.SUCCESS, bad).orElseThrow().value());
    assertEquals(1.0, s.find(VerificationMetrics.SUCCESS, good).orElseThrow().value());
    double last = s.find(VerificationMetrics.LAST_TIMESTAMP, bad).orElseThrow().value();
    assertTrue(last >= START.getEpochSecond() && last < START.getEpochSecond() + 3600,
        "workflow time: " + last);
    assertTrue(s.find(VerificationMetrics.LAST_SUCCESS_TIMESTAMP, bad).isEmpty());
    assertEquals(1.0, s.find(VerificationMetrics.RUNS_TOTAL, withOutcome(bad, "failed"))
        .orElseThrow().value());
    assertEquals(java.util.Set.of("source", "kind", "namespace", "task_queue", "workflow_type"),
        s.find(VerificationMetrics.SUCCESS, bad).orElseThrow().labels().keySet());

    assertEquals(0.0, s.find(CheckMetrics.FRESH, good).orElseThrow().value());
    assertEquals(1.0, s.find(CheckMetrics.RETENTION_COMPLIANT, good).orElseThrow().value());
    assertEquals(56 * 3600.0, s.find(CheckMetrics.NEWEST_AGE_SECONDS, good).orElseThrow().value());
    assertTrue(s.find(CheckMetrics.NEWEST_BYTES, good).isEmpty(), "size unknown: no series");
    assertEquals(Instant.parse("2026-11-21T04:00:00Z").getEpochSecond(),
        s.find(CheckMetrics.NEWEST_TIMESTAMP, cache).orElseThrow().value());
    assertEquals(4096.0, s.find(CheckMetrics.NEWEST_BYTES, cache).orElseThrow().value());
    assertEquals(1.0, s.find(CheckMetrics.FRESH, cache).orElseThrow().value());

    // The drill KPIs the check computed, as gauges; a cadence with nothing due has no series.
    assertEquals(4.0, s.find(io.lifeboat.drill.DrillMetrics.RUNS, Map.of()).orElseThrow()
        .value());
    assertEquals(0.75, s.find(io.lifeboat.drill.DrillMetrics.SUCCESS_RATIO, Map.of())
        .orElseThrow().value());
    assertEquals(0.875, s.find(io.lifeboat.drill.DrillMetrics.ADHERENCE_RATIO, Map.of())
        .orElseThrow().value());
    assertEquals(0.5, s.find(io.lifeboat.drill.DrillMetrics.CADENCE_RATIO,
        Map.of("cadence", "monthly")).orElseThrow().value());
    assertTrue(s.find(io.lifeboat.drill.DrillMetrics.CADENCE_RATIO,
        Map.of("cadence", "quarterly")).isEmpty());
    assertEquals(95.0, s.find(io.lifeboat.drill.DrillMetrics.LAST_RTO_SECONDS,
        Map.of("scenario", "database")).orElseThrow().value());
    assertEquals(900.0, s.find(io.lifeboat.drill.DrillMetrics.RTO_TARGET_SECONDS,
        Map.of("scenario", "database")).orElseThrow().value());

    // Both runs notified: the webhook went out, the email failed after its retries.
    assertEquals(2.0, sum(s, Notifier.SENT_TOTAL, "webhook"));
    assertEquals(2.0, sum(s, Notifier.FAILED_TOTAL, "email"));
    assertEquals(0.0, sum(s, Notifier.FAILED_TOTAL, "webhook"));
    for (String name : List.of(VerificationMetrics.SUCCESS, CheckMetrics.FRESH,
        Notifier.FAILED_TOTAL, CheckMetrics.NEWEST_BYTES, CheckMetrics.NEWEST_TIMESTAMP,
        io.lifeboat.drill.DrillMetrics.SUCCESS_RATIO, io.lifeboat.drill.DrillMetrics.CADENCE_RATIO,
        io.lifeboat.drill.DrillMetrics.LAST_RTO_SECONDS)) {
      assertTrue(s.text().contains("# HELP " + name + " "), "HELP of " + name);
    }
  }
}
