package io.lifeboat.recover.server;

import io.lifeboat.process.Commands;
import io.lifeboat.failure.FailureKind;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs ansible-playbook, nginx, certbot, nsupdate and curl without a shell, heartbeating while
 * they run. The worker's secrets stay out of their environment (only what a tool needs passes).
 *
 * <p>Their output goes to files, not pipes: a worker killed with SIGKILL leaves the tool
 * running, and a Python tool (ansible, certbot) writing into a pipe nobody reads any more was
 * seen spinning on the broken pipe for minutes. Writing to a file, it finishes its idempotent
 * run and exits; the retry on the next worker runs its own.
 */
final class ToolRunner {
  private static final int KEEP = 4 << 20;
  private static final Set<String> PASSED = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG",
      "TZ", "TMPDIR", "SHELL", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy",
      "https_proxy", "no_proxy");
  private final Runnable tick;

  ToolRunner(Runnable tick) {
    this.tick = tick;
  }

  Commands.Result run(FailureKind kind, List<String> argv, Path cwd, Map<String, String> env,
      Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("lifeboat-tool-", ".out");
      err = Files.createTempFile("lifeboat-tool-", ".err");
      ProcessBuilder pb = new ProcessBuilder(argv);
      if (cwd != null) pb.directory(cwd.toFile());
      Map<String, String> child = pb.environment();
      child.keySet().removeIf(k -> !PASSED.contains(k) && !k.startsWith("LC_"));
      child.putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Process p = pb.start();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!p.waitFor(1, TimeUnit.SECONDS)) {
        tick.run();
        if (System.nanoTime() > deadline) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw kind.failure(argv.get(0) + " did not finish in " + timeout.toSeconds()
              + " s; killed");
        }
      }
      return new Commands.Result(p.exitValue(), tail(out), tail(err));
    } catch (IOException e) {
      throw kind.failure("cannot run " + argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw kind.failure("interrupted while running " + argv.get(0));
    } finally {
      delete(out);
      delete(err);
    }
  }

  /** As {@link #run}, and a non-zero exit is a failure of {@code kind} with the tool's last line. */
  Commands.Result check(FailureKind kind, List<String> argv, Path cwd, Map<String, String> env,
      Duration timeout, String what) {
    Commands.Result r = run(kind, argv, cwd, env, timeout);
    if (r.exit() != 0) {
      throw kind.failure(what + " exited " + r.exit() + ": " + clip(
          Commands.lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr())));
    }
    return r;
  }

  /** The last 4 MiB of a tool's output. */
  private static String tail(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - KEEP);
      byte[] buf = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    }
  }

  private static void delete(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  static String clip(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}
