package io.lifeboat.worker;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.HostConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.host.TaskQueues;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one host (issue 17): {@code AgentMain --host NAME [--config FILE]
 * [--task-queue Q]}. Polls only {@code <Q>-host-<NAME>} (Q: temporal.taskQueue) and runs only
 * the host-bound activities there; the control worker ({@link WorkerMain}) runs the workflows
 * and everything else. Serves no metrics (the control worker does), so an agent and the control
 * worker can share a machine.
 */
public final class AgentMain {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  /** Why this config has no agent for this host, in one line; null when it has. */
  public static String refusal(LifeboatConfig config, String where, String host) {
    if (host == null || host.isBlank()) return "--host NAME is required";
    if (config.hosts().isEmpty()) {
      return where + " has no 'hosts:' section, so there is no host for an agent to serve"
          + " (one machine: run `lifeboat worker`)";
    }
    if (config.host(host).isEmpty()) {
      return "host '" + host + "' is not in " + where + "'s hosts: ("
          + config.hosts().stream().map(HostConfig::name).collect(Collectors.joining(", "))
          + ")";
    }
    return null;
  }

  public static void main(String[] args) throws InterruptedException {
    String configPath = System.getenv().getOrDefault("LIFEBOAT_CONFIG", "lifeboat.yml");
    String taskQueue = null;
    String host = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) configPath = args[++i];
      else if (args[i].equals("--task-queue") && i + 1 < args.length) taskQueue = args[++i];
      else if (args[i].equals("--host") && i + 1 < args.length) host = args[++i];
      else {
        System.err.println("lifeboat agent: unknown argument " + args[i]);
        System.exit(2);
      }
    }
    LifeboatConfig config;
    try {
      config = new ConfigLoader().load(Path.of(configPath));
    } catch (ConfigException e) {
      System.err.println("lifeboat agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    String refused = refusal(config, configPath, host);
    if (refused != null) {
      System.err.println("lifeboat agent: " + refused);
      System.exit(2);
      return;
    }
    try {
      run(config, host, taskQueue);
    } catch (Refused e) {
      System.err.println("lifeboat agent: " + e.getMessage());
      System.exit(2);
    } catch (io.grpc.StatusRuntimeException e) {
      System.err.println("lifeboat agent: cannot ask Temporal at " + config.temporal().address()
          + " who serves host " + host + " (" + e.getStatus().getCode() + ")");
      System.exit(3);
    }
  }

  /**
   * Leaves this process's record as the agent of {@code queue} (what {@link #run} does once it
   * polls), so that its restart recognises the poller Temporal still lists as its ghost.
   */
  public static void remember(String queue, String host) {
    AgentGuard.writeRecord(AgentGuard.recordDir(System.getenv()), queue,
        LifeboatWorker.agentIdentity(host));
  }

  /** Another agent serves the host already (AgentGuard): nothing was started. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /** Runs the agent until the process ends; the config has been checked ({@link #refusal}). */
  public static void run(LifeboatConfig config, String host, String taskQueue)
      throws InterruptedException {
    String main = taskQueue != null ? taskQueue : config.temporal().taskQueue();
    String queue = TaskQueues.forHost(main, host);
    TemporalConnection temporal = TemporalConnection.open(config.temporal());
    LifeboatWorker agent;
    java.nio.file.Path records = AgentGuard.recordDir(System.getenv());
    try {
      // One agent per host: refuse before polling if another one serves the queue.
      String other = AgentGuard.of(temporal.client().getWorkflowServiceStubs(),
          config.temporal().namespace(), queue).refusal(host, queue,
          AgentGuard.readRecord(records, queue));
      if (other != null) throw new Refused(other);
      agent = LifeboatWorker.agent(temporal.client(), queue, host, Secrets.fromEnvironment())
          .start();
    } catch (RuntimeException | Error | InterruptedException e) {
      temporal.close();
      throw e;
    }
    AgentGuard.writeRecord(records, queue, LifeboatWorker.agentIdentity(host));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Agent stopping");
      agent.close();
      temporal.close();
    }));
    log.info("Agent {} started: host {}, task queue {} at {} namespace {}",
        LifeboatWorker.agentIdentity(host), host, queue, config.temporal().address(),
        config.temporal().namespace());
    // A host's dump streams through the same cipher as the control worker's (see WorkerMain).
    if (config.repository().encryption() != null
        || config.temporal().payloadEncryption() != null) {
      io.lifeboat.storage.crypt.CryptoWarmup.inBackground();
    }
    Thread.currentThread().join();
  }
}
