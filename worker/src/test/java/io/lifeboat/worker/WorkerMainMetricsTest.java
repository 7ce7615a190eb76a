package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker process itself (a child JVM): where it serves metrics and what it says. */
class WorkerMainMetricsTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "farmtally", "lifeboat.yml");

  @TempDir Path dir;

  /** The example config with its metrics port, and Temporal at {@code temporalAddress}. */
  private Path config(int metricsPort, String temporalAddress) throws IOException {
    String yaml = Files.readString(EXAMPLE)
        .replaceFirst("(?m)^metrics:\\n  port: \\d+", "metrics:\n  port: " + metricsPort)
        .replaceFirst("(?m)^  address: 127\\.0\\.0\\.1:7233", "  address: " + temporalAddress);
    assertTrue(yaml.contains("port: " + metricsPort) && yaml.contains(temporalAddress), yaml);
    // The example's keys are relative to its own directory (made by `up`): this copy gets its
    // own, and no codec server (its port may belong to the running stack's worker).
    Path payloadKey = dir.resolve("payload.json");
    Path repositoryKey = dir.resolve("repository.json");
    try {
      if (!Files.exists(payloadKey)) io.lifeboat.worker.codec.PayloadKeys.generate(payloadKey);
      if (!Files.exists(repositoryKey)) {
        io.lifeboat.storage.crypt.RepositoryCipher.generate(repositoryKey);
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    yaml = yaml.replace("../../.lifeboat/keys/payload.json", payloadKey.toString())
        .replace("../../.lifeboat/keys/repository.json", repositoryKey.toString())
        .replaceFirst("codecServerPort: \\d+", "codecServerPort: 0");
    Path file = dir.resolve("lifeboat.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private Process worker(Path config) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, WorkerMain.class.getName(), "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("LIFEBOAT_METRICS_HOST");
    Process p = pb.start();
    // A watchdog, so a worker that never says what a test waits for cannot hang the build.
    CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(p::destroyForcibly);
    return p;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aTakenMetricsPortIsOneLineAndExit4() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process p = worker(config(taken.getLocalPort(), "127.0.0.1:" + closedPort()));
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker did not exit");
      assertEquals(WorkerMain.EXIT_METRICS_PORT, p.exitValue(), output);
      assertTrue(output.lines().anyMatch(l -> l.equals(
          "lifeboat worker: metrics port " + taken.getLocalPort() + " is in use")), output);
    }
  }

  /** Reads the child's output until a line matches {@code pattern}; null at its end. */
  private static Matcher awaitLine(Process p, Pattern pattern, StringBuilder seen)
      throws IOException {
    var reader = p.inputReader(StandardCharsets.UTF_8);
    for (String line; (line = reader.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    return null;
  }

  /** Keeps reading the child's output, so its logging never blocks on a full pipe. */
  private static void drain(Process p) {
    Thread t = new Thread(() -> {
      try {
        p.inputReader(StandardCharsets.UTF_8).transferTo(Writer.nullWriter());
      } catch (IOException e) {
        // the child is gone
      }
    }, "drain-worker-output");
    t.setDaemon(true);
    t.start();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesWorkerAndSdkMetricsOnLoopback() throws Exception {
    int metricsPort = closedPort();
    int temporalPort = closedPort();
    // The SDK's test server as a real gRPC endpoint: the worker connects and polls it.
    try (var temporal = TestServer.createPortBoundServer(temporalPort)) {
      Process p = worker(config(metricsPort, "127.0.0.1:" + temporalPort));
      try {
        StringBuilder seen = new StringBuilder();
        Matcher announced = awaitLine(p,
            Pattern.compile("Metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)"), seen);
        assertNotNull(announced, "no \"Metrics on\" line:\n" + seen);
        assertEquals(metricsPort, Integer.parseInt(announced.group(2)));
        assertNotNull(awaitLine(p, Pattern.compile("Worker started"), seen), seen.toString());
        drain(p);

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(announced.group(1)))
            .timeout(Duration.ofSeconds(5)).build();
        // The SDK's metrics reach the registry within a report interval (one second).
        String body = "";
        for (int i = 0; i < 100 && !body.contains("temporal_worker_start_total"); i++) {
          HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
          assertEquals(200, response.statusCode());
          body = response.body();
          Thread.sleep(200);
        }
        assertTrue(body.contains("temporal_worker_start_total"), body);
        assertTrue(body.contains("task_queue=\"lifeboat\""), body);
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM: the shutdown hook stops everything");
      } finally {
        stop(p);
      }
    }
  }

  @Test
  void aWorkerThatCannotReachTemporalExitsDespiteTheMetricsServer() throws Exception {
    Process p = worker(config(closedPort(), "127.0.0.1:" + closedPort()));
    try {
      StringBuilder seen = new StringBuilder();
      assertNotNull(awaitLine(p, Pattern.compile("Metrics on http://127\\.0\\.0\\.1:"), seen),
          seen.toString());
      drain(p);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the worker hangs after failing to start");
      assertTrue(p.exitValue() != 0);
    } finally {
      stop(p);
    }
  }
}
