package io.lifeboat.e2e;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several machines on this one (issue 17), built by tests/estate/estate.bash: each host is a
 * network namespace on a private bridge (no route out), a mount namespace with its own
 * /etc/nginx, /opt and /var/lib/postgresql, its own hostname, sshd with a pinned host key.
 * Closing kills what the test started in it and tears the whole estate down (also on the way
 * out of a JVM that dies before close).
 */
final class Estate implements AutoCloseable {
  static final Path SCRIPT =
      Path.of("../tests/estate/estate.bash").toAbsolutePath().normalize();
  /** Where the harness keeps its state (known_hosts, keys, the namespace files). */
  static final Path RUN = Path.of(System.getenv().getOrDefault("LIFEBOAT_ESTATE_RUN",
      "/run/lifeboat-estate"));

  private final Path logs;
  /** Host name → address on the bridge, in the order they were made. */
  final Map<String, String> hosts = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();
  private final Thread hook = new Thread(Estate::down);
  /** Held while this estate is up: /run/lifeboat-estate.lock (outside RUN, which down removes). */
  static final Path LOCK = Path.of(System.getenv().getOrDefault("LIFEBOAT_ESTATE_LOCK",
      "/run/lifeboat-estate.lock"));
  private final FileChannel lockChannel;
  private final FileLock lock;

  Estate(Path logs, String... names) throws Exception {
    this(logs, Map.of(), names);
  }

  /**
   * With {@code env} for `estate.bash up`, e.g. LIFEBOAT_ESTATE_PORTS naming more of the stack's
   * loopback ports each machine reaches through its forwarders (the ACME server's).
   */
  Estate(Path logs, Map<String, String> env, String... names) throws Exception {
    this.logs = logs;
    // One estate per machine: a test in another JVM (another worktree's e2e run) holding it is
    // waited for, never torn down under it; the lock goes with the JVM that holds it.
    lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = acquire(lockChannel);
    try {
      down(); // what a killed earlier run left (its JVM is gone: it no longer holds the lock)
      Runtime.getRuntime().addShutdownHook(hook);
      List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "up"));
      argv.addAll(List.of(names));
      for (String line : run(argv, env).split("\n")) {
        String[] f = line.trim().split(" ");
        if (f.length == 2) hosts.put(f[0], f[1]);
      }
      if (hosts.size() != names.length) throw new IllegalStateException("estate up: " + hosts);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Waits (at most 20 minutes) for the machine's estate lock. */
  private static FileLock acquire(FileChannel channel) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    boolean told = false;
    while (true) {
      FileLock l = channel.tryLock();
      if (l != null) return l;
      if (System.nanoTime() > deadline) {
        channel.close();
        throw new IllegalStateException("another test has held the estate (" + LOCK
            + ") for 20 minutes");
      }
      if (!told) {
        System.out.println("estate: another test holds " + LOCK + "; waiting for it");
        told = true;
      }
      Thread.sleep(1000);
    }
  }

  String address(String host) {
    return hosts.get(host);
  }

  /** CMD as a process of HOST; its output (stdout and stderr). Fails on a non-zero exit. */
  String exec(String host, String... cmd) throws Exception {
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "exec", host, "--"));
    argv.addAll(List.of(cmd));
    return run(argv);
  }

  /**
   * HOST is lost: every process in it (sshd, its agent, its servers, its forwarders) is
   * SIGKILLed and its link set down; its namespaces stay until close, so what is left of its
   * files can still be looked at with {@link #exec}.
   */
  void stop(String host) throws Exception {
    run(List.of("bash", SCRIPT.toString(), "stop", host));
  }

  /** CMD over SSH with the host key pinned; exit code and output. */
  RealStack.Run ssh(String host, String... cmd) throws Exception {
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "ssh", host));
    argv.addAll(List.of(cmd));
    return runQuiet(argv);
  }

  /**
   * `lifeboat agent --host HOST` started inside HOST's namespaces (the exec chain ends in the
   * JVM itself, so the Process is the agent: SIGKILL reaches it), logging to LOGS/NAME.log.
   */
  Process startAgent(String host, Path config, String taskQueue, String logName)
      throws IOException {
    return startAgent(host, config, taskQueue, logName, Map.of());
  }

  /** The same, with {@code env} added to the agent's environment (e.g. LIFEBOAT_PM2_BIN). */
  Process startAgent(String host, Path config, String taskQueue, String logName,
      Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "exec", host, "--",
        java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.lifeboat.worker.AgentMain", "--config", config.toString(), "--task-queue", taskQueue,
        "--host", host));
    // From "/", as systemd starts the agent's unit: the test's own directory (a fresh clone
    // under a 0701 temporary directory) is one the host's postgres user cannot name.
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .directory(new java.io.File("/"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(logName + ".log").toFile()));
    pb.environment().putAll(env);
    pb.environment().put("LIFEBOAT_LOG_LEVEL", "INFO");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  String log(String name) {
    try {
      return Files.readString(logs.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The inode of HOST's network namespace, to compare with /proc/PID/ns/net. */
  static String netnsOf(String host) throws IOException {
    return String.valueOf(Files.getAttribute(Path.of("/run/netns/lbe-" + host), "unix:ino"));
  }

  /** The inode of the network namespace process PID lives in. */
  static String netnsOfPid(long pid) throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
    return link.replaceAll("\\D", "");
  }

  private static String run(List<String> argv) throws Exception {
    return run(argv, Map.of());
  }

  private static String run(List<String> argv, Map<String, String> env) throws Exception {
    RealStack.Run r = runQuiet(argv, env);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exit() + ": "
          + r.out() + r.err());
    }
    return r.out();
  }

  private static RealStack.Run runQuiet(List<String> argv) throws Exception {
    return runQuiet(argv, Map.of());
  }

  private static RealStack.Run runQuiet(List<String> argv, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", argv) + " did not end");
    }
    return new RealStack.Run(p.exitValue(), out, "");
  }

  private static void down() {
    try {
      Process p = new ProcessBuilder("bash", SCRIPT.toString(), "down")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing to tear down without bash
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (Process p : started) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } finally {
      down();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down (or the hook was never added)
      }
      if (lock != null && lock.isValid()) lock.release();
      lockChannel.close();
    }
  }
}
