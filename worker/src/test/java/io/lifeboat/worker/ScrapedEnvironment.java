package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A test workflow environment whose SDK and workflow metrics are served on a real /metrics
 * endpoint, as the worker serves them: the scrape tests run workflows here and read the text
 * Prometheus would read.
 */
final class ScrapedEnvironment implements AutoCloseable {
  private final WorkerMetrics metrics = new WorkerMetrics();
  private final MetricsServer server;
  private final TestWorkflowEnvironment env;
  private final HttpClient http = HttpClient.newHttpClient();

  ScrapedEnvironment() throws java.io.IOException {
    server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        metrics.registry());
    TestEnvironmentOptions.Builder o = TestEnvironmentOptions.newBuilder()
        .setMetricsScope(metrics.scope());
    for (var key : LifeboatSearchAttributes.ALL) {
      o.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(o.build());
  }

  /** One worker on {@code taskQueue} with this workflow and these activities, started. */
  WorkflowClient start(String taskQueue, Class<?> workflow, Object activities) {
    Worker worker = env.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(workflow);
    worker.registerActivitiesImplementations(activities);
    env.start();
    return env.getWorkflowClient();
  }

  /** Scrapes until {@code ready} holds (gauges land a moment after a run ends); the last scrape. */
  Scrape scrapeUntil(Predicate<Scrape> ready) throws Exception {
    Scrape scrape = null;
    for (int i = 0; i < 100; i++) {
      scrape = Scrape.parse(http.send(HttpRequest.newBuilder(server.uri())
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
      if (ready.test(scrape)) break;
      Thread.sleep(200);
    }
    return scrape;
  }

  /** Every name carries the HELP text the alert rules' documentation quotes. */
  static void assertHelp(Scrape scrape, Collection<String> names, Map<String, String> help) {
    for (String name : names) {
      assertTrue(scrape.text().contains("# HELP " + name + " " + help.get(name)),
          "HELP of " + name + " in:\n" + scrape.text());
    }
  }

  @Override
  public void close() {
    env.close();
    server.close();
    metrics.close();
  }
}
