package io.lifeboat.server;

import io.lifeboat.app.Commands;
import io.lifeboat.workflows.common.FailureKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs ansible-playbook, nginx, certbot, nsupdate and curl without a shell, heartbeating while
 * they run (through {@link Commands}, which also keeps the worker's secrets out of their
 * environment). A tool that cannot be started is the given kind of failure.
 */
final class ToolRunner {
  private final Runnable tick;

  ToolRunner(Runnable tick) {
    this.tick = tick;
  }

  Commands.Result run(FailureKind kind, List<String> argv, Path cwd, Map<String, String> env,
      Duration timeout) {
    try {
      return Commands.run(argv, cwd, env, timeout, tick);
    } catch (IOException e) {
      throw kind.failure("cannot run " + argv.get(0) + ": " + e.getMessage());
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

  static String clip(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}
