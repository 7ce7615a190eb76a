package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.backup.dump.DatabaseBackupRequest;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.backup.dump.DatabaseBackupWorkflowImpl;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A successful and a failed backup run in the in-memory Temporal with the worker's real metrics
 * wiring ({@link WorkerMetrics}: tally scope into a Prometheus registry), then the metrics are
 * read the way Prometheus reads them: over HTTP from {@link MetricsServer} on a free port.
 */
class BackupMetricsScrapeTest {
  private static final Instant START = Instant.parse("2026-11-21T02:00:00Z");
  private static final String GOOD = "farmtally_production";
  private static final String BROKEN = "farmtally_broken";
  private static final String QUEUE = "metrics-test";

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerMetrics metrics;
  private MetricsServer server;
  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() throws IOException {
    metrics = new WorkerMetrics();
    server = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry());
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(START)
        .setMetricsScope(metrics.scope())
        // No workflow cache: every workflow task, and every query below, replays the history
        // from the start, so a metric emitted during replay would be counted again.
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build());
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class);
    worker.registerActivitiesImplementations(new FakeActivities(Set.of(BROKEN)));
    env.start();
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
    server.close();
    metrics.close();
  }

  private DatabaseBackupWorkflow stub(String database) {
    return env.getWorkflowClient().newWorkflowStub(DatabaseBackupWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId("backup-db-" + database + "-test")
            .setTaskQueue(QUEUE)
            .build());
  }

  private static DatabaseBackupRequest request(String database) {
    DatabaseConfig db = new DatabaseConfig(database, "127.0.0.1", 55432, "lifeboat",
        "LIFEBOAT_PG_PASSWORD", null, null);
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups",
        "lifeboat", null, null, "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY", null, null,
        null, null, null);
    return new DatabaseBackupRequest(db, repo, CompressionConfig.DEFAULT, 30,
        new RetryConfig(2, 1, 1));
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes until {@code ready} holds: the tally scope reports to the registry every second. */
  private Scrape scrapeUntil(Predicate<Scrape> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      HttpResponse<String> response = get(server.uri());
      assertEquals(200, response.statusCode());
      assertEquals(MetricsServer.CONTENT_TYPE,
          response.headers().firstValue("Content-Type").orElse(""));
      Scrape scrape = Scrape.parse(response.body());
      if (ready.test(scrape) || System.nanoTime() > deadline) {
        return scrape;
      }
      Thread.sleep(200);
    }
  }

  private static Map<String, String> tags(String database) {
    return Map.of("database", database, "kind", "db-full");
  }

  private static Scrape.Sample sample(Scrape scrape, String name, Map<String, String> labels) {
    return scrape.find(name, labels).orElseThrow(() -> new AssertionError(
        "no " + name + labels + " in the scrape:\n" + scrape.text()));
  }

  @Test
  void backupOutcomesAreServedOnTheMetricsEndpoint() throws Exception {
    stub(GOOD).backup(request(GOOD));
    assertThrows(WorkflowFailedException.class, () -> stub(BROKEN).backup(request(BROKEN)));
    // Queries on a closed workflow with no cache replay its whole history, metrics code included.
    for (int i = 0; i < 3; i++) {
      for (String database : List.of(GOOD, BROKEN)) {
        assertEquals(database, env.getWorkflowClient().newWorkflowStub(
            DatabaseBackupWorkflow.class, "backup-db-" + database + "-test").status().database());
      }
    }

    Map<String, String> failedRun = new java.util.HashMap<>(tags(BROKEN));
    failedRun.put("outcome", "failed");
    // The SDK counts a workflow completed or failed after its last task, so a scrape can see
    // the run's own metrics a moment before those (a fresh clone's loaded machine did): wait for
    // both.
    Map<String, String> succeededRun = new java.util.HashMap<>(tags(GOOD));
    succeededRun.put("outcome", "succeeded");
    Scrape scrape = scrapeUntil(s -> s.hasAll(List.of(
            Map.entry(BackupMetrics.SUCCESS, tags(GOOD)),
            Map.entry(BackupMetrics.SUCCESS, tags(BROKEN)),
            Map.entry(BackupMetrics.RUNS_TOTAL, failedRun),
            Map.entry(BackupMetrics.RUNS_TOTAL, succeededRun),
            Map.entry(BackupMetrics.LAST_SUCCESS_TIMESTAMP, tags(GOOD)),
            Map.entry(BackupMetrics.SIZE_BYTES, tags(GOOD)),
            Map.entry(BackupMetrics.RAW_SIZE_BYTES, tags(GOOD)),
            Map.entry(BackupMetrics.DURATION_SECONDS, tags(GOOD)),
            Map.entry(BackupMetrics.DURATION_SECONDS, tags(BROKEN))))
        && s.names("lifeboat_").containsAll(BackupMetrics.ALL)
        && s.names("temporal_").containsAll(
            Set.of("temporal_workflow_completed_total", "temporal_workflow_failed_total")));

    assertEquals(new java.util.TreeSet<>(BackupMetrics.ALL), scrape.names("lifeboat_"),
        "exposed backup metric names");
    for (String name : BackupMetrics.ALL) {
      assertTrue(scrape.text().contains("# HELP " + name + " " + BackupMetrics.HELP.get(name)),
          "HELP line of " + name);
    }

    Scrape.Sample success = sample(scrape, BackupMetrics.SUCCESS, tags(GOOD));
    assertEquals(1.0, success.value(), success.line());
    assertTrue(success.line().matches(
        "lifeboat_backup_success\\{.*database=\"farmtally_production\".*} 1\\.0"), success.line());
    assertEquals(Set.of("database", "kind", "namespace", "task_queue", "workflow_type"),
        success.labels().keySet(), "the SDK's \"none\" placeholder tags are dropped");
    assertEquals("DatabaseBackupWorkflow", success.labels().get("workflow_type"));
    assertEquals(QUEUE, success.labels().get("task_queue"));
    assertEquals(0.0, sample(scrape, BackupMetrics.SUCCESS, tags(BROKEN)).value());

    double timestamp = sample(scrape, BackupMetrics.LAST_SUCCESS_TIMESTAMP, tags(GOOD)).value();
    assertTrue(timestamp >= START.getEpochSecond()
        && timestamp < START.plus(Duration.ofHours(1)).getEpochSecond(),
        "workflow time of the commit, not the wall clock: " + timestamp);
    assertTrue(scrape.find(BackupMetrics.LAST_SUCCESS_TIMESTAMP, tags(BROKEN)).isEmpty(),
        "a failed run sets no success timestamp");
    assertEquals(FakeActivities.STORED_BYTES,
        sample(scrape, BackupMetrics.SIZE_BYTES, tags(GOOD)).value());
    assertEquals(FakeActivities.RAW_BYTES,
        sample(scrape, BackupMetrics.RAW_SIZE_BYTES, tags(GOOD)).value());
    assertTrue(sample(scrape, BackupMetrics.DURATION_SECONDS, tags(GOOD)).value() >= 0);
    assertTrue(sample(scrape, BackupMetrics.DURATION_SECONDS, tags(BROKEN)).value() >= 0);

    assertEquals(1.0, sample(scrape, BackupMetrics.RUNS_TOTAL, succeededRun).value(),
        "one run counted once, however often it was replayed");
    assertEquals(1.0, sample(scrape, BackupMetrics.RUNS_TOTAL, failedRun).value());
    assertTrue(scrape.find(BackupMetrics.RUNS_TOTAL,
        Map.of("database", GOOD, "outcome", "failed")).isEmpty());

    Set<String> sdk = new HashSet<>(scrape.names("temporal_"));
    assertTrue(sdk.contains("temporal_workflow_completed_total")
        && sdk.contains("temporal_workflow_failed_total"),
        "the SDK's own metrics go through the same registry: " + sdk);
  }

  @Test
  void onlyMetricsIsServed() throws Exception {
    URI base = server.uri();
    assertEquals(404, get(base.resolve("/")).statusCode());
    assertEquals(404, get(base.resolve("/metricsx")).statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(base)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals("127.0.0.1", base.getHost());
  }

  @Test
  void aTakenPortIsABindException() {
    InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(),
        server.port());
    assertThrows(java.net.BindException.class,
        () -> MetricsServer.start(taken, metrics.registry()).close());
  }
}
