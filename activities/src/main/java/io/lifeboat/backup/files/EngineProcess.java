package io.lifeboat.backup.files;

import io.lifeboat.process.StderrTail;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of a files engine (restic, borg, rsync) as a child process: stdin from /dev/null (a
 * prompt fails instead of hanging), secrets in its environment only, stdout line by line, the
 * tail of stderr, and an optional tick while it runs (the activity's heartbeat).
 *
 * <p>The child dies with the worker: started through util-linux's {@code setpriv --pdeathsig
 * KILL}, the kernel SIGKILLs it when the worker's thread that started it ends, a SIGKILLed
 * worker included. Without it a killed worker left restic, borg or rsync running on as an
 * orphan beside the retried attempt (a second restic snapshot with the run's tag, borg's
 * repository lock held so the retry fails on it, two rsyncs writing one partial generation).
 * Where setpriv is missing the child runs as before, and the retry's own checks remain.
 */
final class EngineProcess {
  private EngineProcess() {}

  /** setpriv, when this host has it; null otherwise. */
  static final String SETPRIV = findSetpriv();

  private static String findSetpriv() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      File f = new File(dir, "setpriv");
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }

  private static boolean found(String bin, String path) {
    if (bin.contains("/")) return new File(bin).canExecute();
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      if (!dir.isEmpty() && new File(dir, bin).canExecute()) return true;
    }
    return false;
  }

  /** The command as started: behind setpriv --pdeathsig KILL when there is one. */
  static List<String> dyingWithTheWorker(List<String> command) {
    if (SETPRIV == null) return command;
    List<String> out = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    out.addAll(command);
    return out;
  }

  /**
   * @param dropPrefixes variables of the worker's own environment left out (RESTIC_, BORG_...)
   * @param workDir the child's working directory; null: the worker's
   * @param tick called every few seconds while the child runs; null: none
   */
  static Restic.Output run(String tool, List<String> command, Map<String, String> env,
      List<String> dropPrefixes, Path workDir, Consumer<String> onLine, Runnable tick) {
    ProcessBuilder pb = new ProcessBuilder(dyingWithTheWorker(command)).redirectInput(new File("/dev/null"));
    pb.environment().keySet().removeIf(k -> dropPrefixes.stream().anyMatch(k::startsWith));
    pb.environment().putAll(env);
    if (workDir != null) pb.directory(workDir.toFile());
    Process p;
    try {
      // Behind setpriv a missing tool would be setpriv's exit 127: the same error as without.
      if (SETPRIV != null && !found(command.get(0), pb.environment().get("PATH"))) {
        throw new IOException("no such file in PATH");
      }
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + " (is " + tool
          + " installed? `./lifeboat up` installs it): " + e.getMessage(), e);
    }
    ScheduledExecutorService ticker = null;
    if (tick != null) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, tool + "-tick");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(() -> {
        try {
          tick.run();
        } catch (RuntimeException ignored) {
          // a heartbeat that cannot be sent now is sent at the next tick
        }
      }, 5, 5, TimeUnit.SECONDS);
    }
    List<String> lines = new ArrayList<>();
    boolean finished = false;
    try (StderrTail err = new StderrTail(p.getErrorStream(), tool);
         BufferedReader out = new BufferedReader(
             new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        onLine.accept(line);
      }
      int exit = p.waitFor();
      finished = true;
      return new Restic.Output(exit, lines, err.text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + tool + " ran", e);
    } finally {
      if (ticker != null) ticker.shutdownNow();
      if (!finished) p.destroyForcibly();
    }
  }
}
