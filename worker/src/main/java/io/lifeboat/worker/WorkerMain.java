package io.lifeboat.worker;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The long-running worker: {@code WorkerMain --config FILE [--task-queue Q]}. */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

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
    TemporalConnection temporal = TemporalConnection.open(config.temporal());
    LifeboatWorker worker = new LifeboatWorker(temporal.client(), queue, Secrets.fromEnvironment());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Worker stopping");
      worker.close();
      temporal.close();
    }));
    worker.start();
    log.info("Worker started: task queue {} at {} namespace {}", queue,
        config.temporal().address(), config.temporal().namespace());
    Thread.currentThread().join();
  }
}
