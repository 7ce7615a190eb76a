package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.workflows.common.FailureKind;
import io.lifeboat.workflows.common.LifeboatSearchAttributes;
import io.lifeboat.workflows.offsite.CopyRecord;
import io.lifeboat.workflows.offsite.CopyRequest;
import io.lifeboat.workflows.offsite.CopyResult;
import io.lifeboat.workflows.offsite.LockStatus;
import io.lifeboat.workflows.offsite.OffsiteActivities;
import io.lifeboat.workflows.offsite.OffsiteCopyRequest;
import io.lifeboat.workflows.offsite.OffsiteCopyWorkflow;
import io.lifeboat.workflows.offsite.OffsiteCopyWorkflowImpl;
import io.lifeboat.workflows.offsite.OffsiteMetrics;
import io.lifeboat.workflows.offsite.OffsiteRetentionRequest;
import io.lifeboat.workflows.offsite.OffsiteRetentionResult;
import io.lifeboat.workflows.offsite.OffsiteScopes;
import io.lifeboat.workflows.offsite.VerifyCopyRequest;
import io.lifeboat.workflows.offsite.VerifyCopyResult;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offsite copy's gauges reach /metrics under the names the offsite alert rules use. */
class OffsiteMetricsScrapeTest {

  /** Copies one object for "farmtally_production"; cannot reach the offsite for "broken". */
  static class Fake implements OffsiteActivities {
    @Override
    public LockStatus probeLock(OffsiteConfig offsite) {
      return LockStatus.off();
    }

    @Override
    public CopyResult copy(CopyRequest r) {
      if (r.scope().contains("broken")) {
        throw FailureKind.OFFSITE_UNAVAILABLE.failure("connection refused");
      }
      return new CopyResult(r.scope(), 1, 0, 4096, List.of(r.scope() + "x"), List.of(),
          List.of());
    }

    @Override
    public VerifyCopyResult verify(VerifyCopyRequest r) {
      return new VerifyCopyResult(r.keys().size(), 4096, List.of());
    }

    @Override
    public OffsiteRetentionResult applyRetention(OffsiteRetentionRequest r) {
      return new OffsiteRetentionResult(List.of(), List.of());
    }

    @Override
    public void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record) {}
  }

  @Test
  void lastSuccessAndSuccessGaugesAreScraped() throws Exception {
    WorkerMetrics metrics = new WorkerMetrics();
    MetricsServer server = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry());
    TestEnvironmentOptions.Builder o = TestEnvironmentOptions.newBuilder()
        .setMetricsScope(metrics.scope());
    for (var key : LifeboatSearchAttributes.ALL) {
      o.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(o.build());
    try {
      Worker worker = env.newWorker("offsite-metrics");
      worker.registerWorkflowImplementationTypes(OffsiteCopyWorkflowImpl.class);
      worker.registerActivitiesImplementations(new Fake());
      env.start();
      RepositoryConfig primary = new RepositoryConfig("http://x:1", "bucket", null, null, null,
          "A", "B", null, null, null, null, null);
      OffsiteConfig offsite = new OffsiteConfig("http://y:1", "offsite", null, null, null, "C",
          "D", null, null, null, null);
      for (String db : List.of("farmtally_production", "broken")) {
        OffsiteCopyWorkflow wf = env.getWorkflowClient().newWorkflowStub(
            OffsiteCopyWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("offsite-" + db).setTaskQueue("offsite-metrics").build());
        OffsiteCopyRequest request = new OffsiteCopyRequest(primary, offsite, "db-full", db,
            OffsiteScopes.databaseDumps(db), true, new RetryConfig(1, 1, 1), null);
        if (db.equals("broken")) {
          assertThrows(RuntimeException.class, () -> wf.copy(request));
        } else {
          wf.copy(request);
        }
      }
      HttpClient http = HttpClient.newHttpClient();
      Scrape scrape = null;
      for (int i = 0; i < 100; i++) {
        scrape = Scrape.parse(http.send(HttpRequest.newBuilder(server.uri())
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
        if (scrape.find(OffsiteMetrics.SUCCESS, Map.of("source", "broken")).isPresent()) break;
        Thread.sleep(200);
      }
      for (String name : OffsiteMetrics.ALL) {
        assertTrue(scrape.text().contains("# HELP " + name + " " + OffsiteMetrics.HELP.get(name)),
            "HELP of " + name + " in:\n" + scrape.text());
      }
      Map<String, String> good = Map.of("source", "farmtally_production", "kind", "db-full");
      Map<String, String> bad = Map.of("source", "broken", "kind", "db-full");
      assertEquals(1.0, scrape.find(OffsiteMetrics.SUCCESS, good).orElseThrow().value());
      assertEquals(0.0, scrape.find(OffsiteMetrics.SUCCESS, bad).orElseThrow().value());
      assertTrue(scrape.find(OffsiteMetrics.LAST_SUCCESS_TIMESTAMP, good).orElseThrow().value()
          > 1.7e9);
      assertTrue(scrape.find(OffsiteMetrics.LAST_SUCCESS_TIMESTAMP, bad).isEmpty());
      assertEquals(4096.0, scrape.find(OffsiteMetrics.COPIED_BYTES, good).orElseThrow().value());
    } finally {
      env.close();
      server.close();
      metrics.close();
    }
  }
}
