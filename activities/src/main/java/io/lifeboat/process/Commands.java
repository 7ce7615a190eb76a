package io.lifeboat.process;

import io.lifeboat.process.StderrTail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool (no shell) while calling {@code tick} about once a second, so an activity that
 * waits for pm2 or npm keeps heartbeating and a dead worker is noticed quickly. Kills the tool
 * at the timeout.
 */
public final class Commands {
  private static final int KEEP_STDOUT = 4 << 20;
  /** What a tool needs from the worker's environment; everything else stays behind. */
  static final java.util.Set<String> PASSED = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME",
      "LANG", "TZ", "TMPDIR", "SHELL", "NODE_OPTIONS", "NODE_EXTRA_CA_CERTS", "HTTP_PROXY",
      "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "PM2_HOME");

  private Commands() {}

  public record Result(int exit, String stdout, String stderr) {}

  public static Result run(List<String> argv, Path cwd, Map<String, String> env, Duration timeout,
      Runnable tick) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (cwd != null) pb.directory(cwd.toFile());
    // Not the worker's environment: it holds the repository and database secrets, and pm2
    // hands its caller's environment to the apps it starts, npm to every install script.
    Map<String, String> child = pb.environment();
    child.keySet().removeIf(k -> !PASSED.contains(k) && !k.startsWith("LC_")
        && !k.startsWith("NPM_CONFIG_") && !k.startsWith("npm_config_"));
    child.putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    StderrTail err = new StderrTail(p.getErrorStream(), argv.get(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = p.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (out) {
            if (out.size() < KEEP_STDOUT) out.write(buf, 0, n);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "stdout-" + argv.get(0));
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!p.waitFor(1, TimeUnit.SECONDS)) {
        tick.run();
        if (System.nanoTime() > deadline) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new IOException(String.join(" ", argv) + " did not finish in "
              + timeout.toSeconds() + " s; killed");
        }
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + argv.get(0));
    }
    String stdout;
    synchronized (out) {
      stdout = out.toString(StandardCharsets.UTF_8);
    }
    String stderr = err.text();
    err.close();
    return new Result(p.exitValue(), stdout, stderr);
  }

  /** The last non-blank line of a tool's output, for a one-line error. */
  public static String lastLine(String text) {
    String last = "";
    for (String l : text.split("\n")) {
      String s = l.replaceAll("\u001B\\[[0-9;]*m", "").strip();
      if (!s.isEmpty()) last = s;
    }
    return last;
  }
}
