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
    DefaultExecutor exec = DefaultExecutor.builder().get();
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
}
