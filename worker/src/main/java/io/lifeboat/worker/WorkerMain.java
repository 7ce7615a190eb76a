package io.lifeboat.worker;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.worker.codec.CodecServer;
import io.lifeboat.config.Secrets;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running worker: {@code WorkerMain --config FILE [--task-queue Q]}. Serves Prometheus
 * metrics on {@code http://127.0.0.1:<metrics.port>/metrics} ({@code LIFEBOAT_METRICS_HOST}
 * changes the address it binds, e.g. {@code 0.0.0.0} inside a container).
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  /** Exit status when the metrics port cannot be bound. */
  static final int EXIT_METRICS_PORT = 4;

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    String configPath = System.getenv().getOrDefault("LIFEBOAT_CONFIG", "lifeboat.yml");
    String taskQueue = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) configPath = args[++i];
      else if (args[i].equals("--task-queue") && i + 1 < args.length) taskQueue = args[++i];
      else {
        System.err.println("lifeboat worker: unknown argument " + args[i]);
        System.exit(2);
      }
    }
    LifeboatConfig config;
    try {
      config = new ConfigLoader().load(Path.of(configPath));
    } catch (ConfigException e) {
      System.err.println("lifeboat worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    String queue = taskQueue != null ? taskQueue : config.temporal().taskQueue();
    String metricsHost = System.getenv().getOrDefault("LIFEBOAT_METRICS_HOST", "127.0.0.1");
    int metricsPort = config.metrics().port();
    WorkerMetrics metrics = new WorkerMetrics();
    MetricsServer metricsServer;
    try {
      metricsServer = MetricsServer.start(
          new InetSocketAddress(metricsHost, metricsPort), metrics.registry());
    } catch (BindException e) {
      System.err.println("lifeboat worker: metrics port " + metricsPort + " is in use");
      System.exit(EXIT_METRICS_PORT);
      return;
    } catch (IOException e) {
      System.err.println("lifeboat worker: cannot serve metrics on " + metricsHost + ":"
          + metricsPort + ": " + e.getMessage());
      System.exit(EXIT_METRICS_PORT);
      return;
    }
    log.info("Metrics on {}", metricsServer.uri());
    TemporalConnection temporal = null;
    LifeboatWorker worker = null;
    CodecServer codecServer = null;
    try {
      temporal = TemporalConnection.open(config.temporal(), metrics.scope());
      codecServer = startCodecServer(config, temporal);
      worker = new LifeboatWorker(temporal.client(), queue, Secrets.fromEnvironment(),
          config.worker());
      worker.start();
    } catch (ConfigException e) {
      stop(worker, temporal, metricsServer, metrics, codecServer);
      System.err.println("lifeboat worker: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException | Error e) {
      // The metrics server's and reporter's threads must not keep a failed worker alive.
      stop(worker, temporal, metricsServer, metrics, codecServer);
      throw e;
    }
    LifeboatWorker started = worker;
    TemporalConnection connection = temporal;
    CodecServer codec = codecServer;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Worker stopping");
      stop(started, connection, metricsServer, metrics, codec);
    }));
    log.info("Worker started: task queue {} (bulk {}) at {} namespace {}; slots: {} activities,"
        + " {} bulk, {} workflow tasks", queue, io.lifeboat.run.BulkQueue.of(queue),
        config.temporal().address(), config.temporal().namespace(),
        config.worker().activitySlots(), config.worker().bulkActivitySlots(),
        config.worker().workflowTaskSlots());
    seedInBackground(config, queue, metrics);
    // The repository's cipher and the payload codec are AES-GCM: compiled now, not during the
    // first backup (a fresh worker sealed at 15-30 MB/s until the JIT caught up; issue 21).
    if (config.repository().encryption() != null
        || config.temporal().payloadEncryption() != null) {
      io.lifeboat.storage.crypt.CryptoWarmup.inBackground();
    }
    Thread.currentThread().join();
  }

  /**
   * Serves the payload codec to the web UI when payloads are encrypted and a port is set. A
   * port in use costs the UI its decoding, not the estate its backups: warn and go on.
   */
  private static CodecServer startCodecServer(LifeboatConfig config, TemporalConnection temporal) {
    var pe = config.temporal().payloadEncryption();
    if (pe == null || pe.codecServerPort() == 0 || temporal.codec().isEmpty()) return null;
    try {
      CodecServer server = new CodecServer(pe.codecServerPort(), temporal.codec().get(),
          config.temporal().webUi()).start();
      log.info("Payload codec for the web UI on http://127.0.0.1:{}", server.port());
      return server;
    } catch (IOException e) {
      log.warn("payload codec server not started on port {}: {}", pe.codecServerPort(), e.toString());
      return null;
    }
  }

  /** S3 may be slow or down at start: the worker polls meanwhile, the gauges come when they can. */
  private static void seedInBackground(LifeboatConfig config, String queue, WorkerMetrics metrics) {
    Thread t = new Thread(() -> {
      try (var stores = new io.lifeboat.storage.StoreFactory(Secrets.fromEnvironment())) {
        GaugeSeeder.seed(metrics.scope(), config, queue, stores.forRepository(config.repository()));
      } catch (RuntimeException e) {
        log.warn("metrics not seeded from the repository: {}", e.getMessage());
      }
    }, "lifeboat-gauge-seeder");
    t.setDaemon(true);
    t.start();
  }

  /** Closes what was opened, each part even when an earlier one fails to close. */
  private static void stop(LifeboatWorker worker, TemporalConnection temporal,
      MetricsServer metricsServer, WorkerMetrics metrics, CodecServer codecServer) {
    for (AutoCloseable part : new AutoCloseable[] {worker, codecServer, temporal, metricsServer, metrics}) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception | Error e) {
        log.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
