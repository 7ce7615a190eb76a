package io.lifeboat.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  Estate(Path logs, String... names) throws Exception {
    this.logs = logs;
    down(); // what a killed earlier run left
    Runtime.getRuntime().addShutdownHook(hook);
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "up"));
    argv.addAll(List.of(names));
    for (String line : run(argv).split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length == 2) hosts.put(f[0], f[1]);
    }
    if (hosts.size() != names.length) throw new IllegalStateException("estate up: " + hosts);
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), "exec", host, "--",
        java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.lifeboat.worker.AgentMain", "--config", config.toString(), "--task-queue", taskQueue,
        "--host", host));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(logName + ".log").toFile()));
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
    RealStack.Run r = runQuiet(argv);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exit() + ": "
          + r.out() + r.err());
    }
    return r.out();
  }

  private static RealStack.Run runQuiet(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
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
        // already shutting down
      }
    }
  }
}
