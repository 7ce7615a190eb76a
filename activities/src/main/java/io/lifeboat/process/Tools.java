package io.lifeboat.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs a tool to completion (no shell), with a timeout, capturing its output. */
public final class Tools {
  private Tools() {}

  public record Result(int exit, String stdout, String stderr) {}

  public static Result run(List<String> argv, Map<String, String> extraEnv, Duration timeout,
      java.io.InputStream stdin) throws IOException {
    CommandLine cmd = new CommandLine(argv.get(0));
    for (String a : argv.subList(1, argv.size())) {
      cmd.addArgument(a, false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // A tool run as another OS user (runuser) starts in "/": that user may be unable to name
    // the worker's own working directory (a checkout under a 0700 directory), and pg_ctl,
    // initdb and postgres fail when they cannot ("program postgres is needed by pg_ctl but
    // was not found": seen in a fresh clone).
    DefaultExecutor exec = DefaultExecutor.builder()
        .setWorkingDirectory(new java.io.File(asAnotherUser(argv) ? "/" : ".")).get();
    exec.setStreamHandler(new PumpStreamHandler(out, err, stdin));
    exec.setWatchdog(ExecuteWatchdog.builder().setTimeout(timeout).get());
    exec.setExitValues(null);
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.putAll(extraEnv);
    int exit;
    try {
      exit = exec.execute(cmd, env);
    } catch (ExecuteException e) {
      exit = e.getExitValue();
    }
    return new Result(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** argv switches to another OS user first (runuser), so it starts in "/". */
  public static boolean asAnotherUser(List<String> argv) {
    return !argv.isEmpty() && "runuser".equals(argv.get(0));
  }
}
