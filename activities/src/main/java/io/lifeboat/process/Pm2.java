package io.lifeboat.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pm2 as the seed uses it (status, stop, start), always with the app's PM2_HOME. */
public final class Pm2 {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private final String pm2;
  private final ObjectMapper json = new ObjectMapper();

  public Pm2(String pm2) {
    this.pm2 = pm2;
  }

  /**
   * LIFEBOAT_PM2_BIN, else the copy the launcher installs (LIFEBOAT_HOME/.lifeboat/npm), else
   * pm2 on PATH.
   */
  public static Pm2 discover(Secrets secrets) {
    String configured = secrets.optional("LIFEBOAT_PM2_BIN");
    if (configured != null && !configured.isBlank()) return new Pm2(configured);
    String home = secrets.optional("LIFEBOAT_HOME");
    if (home != null) {
      Path local = Path.of(home, ".lifeboat", "npm", "node_modules", ".bin", "pm2");
      if (Files.isExecutable(local)) return new Pm2(local.toString());
    }
    return new Pm2("pm2");
  }

  /** The pm2 executable this wrapper runs. */
  public String binary() {
    return pm2;
  }

  /** The process as PM2 sees it, or null when PM2 does not know it. */
  public record Process(String status, int restarts, int pid) {}

  public Process describe(ApplicationConfig app, Runnable tick) {
    Commands.Result r = run(app, List.of("jlist"), tick);
    String out = r.stdout();
    // A daemon that was not running yet prints its start-up lines before the JSON.
    int start = out.indexOf("\n[");
    String body = out.startsWith("[") ? out : start >= 0 ? out.substring(start + 1) : out;
    try {
      JsonNode list = json.readTree(body);
      for (JsonNode p : list) {
        if (app.pm2Name().equals(p.path("name").asText())) {
          JsonNode env = p.path("pm2_env");
          return new Process(env.path("status").asText("unknown"), env.path("restart_time").asInt(),
              p.path("pid").asInt());
        }
      }
      return null;
    } catch (IOException e) {
      // Only stderr: stdout may be a half-printed process list, environments included.
      throw FailureKind.PM2_FAILED.failure("pm2 jlist printed no process list (exit " + r.exit()
          + "): " + Commands.lastLine(r.stderr()));
    }
  }

  public String stop(ApplicationConfig app, Runnable tick) {
    Process p = describe(app, tick);
    if (p == null) return "not known to pm2 (nothing to stop)";
    if (!p.status().equals("stopped")) {
      check(run(app, List.of("stop", app.pm2Name()), tick), "stop " + app.pm2Name());
    }
    return "stopped (was " + p.status() + ")";
  }

  /**
   * Starts the process PM2 knows by name (it keeps its cwd, script and env), else starts it
   * from the ecosystem file.
   */
  public String start(ApplicationConfig app, Runnable tick) {
    Process p = describe(app, tick);
    if (p != null) {
      check(run(app, List.of("restart", app.pm2Name()), tick), "restart " + app.pm2Name());
      return "pm2 restart " + app.pm2Name() + " (was " + p.status() + ")";
    }
    if (app.ecosystemFile() == null) {
      throw FailureKind.CONFIG_INVALID.failure("pm2 does not know the process " + app.pm2Name()
          + " and the application has no ecosystemFile to start it from");
    }
    if (!Files.isRegularFile(Path.of(app.ecosystemFile()))) {
      throw FailureKind.APP_RELEASE_MISSING.failure("the ecosystem file " + app.ecosystemFile()
          + " does not exist");
    }
    check(run(app, List.of("start", app.ecosystemFile(), "--only", app.pm2Name()), tick),
        "start " + app.ecosystemFile());
    return "pm2 start " + app.ecosystemFile() + " --only " + app.pm2Name();
  }

  /** pm2 delete NAME: forgets the process (a drill's scratch copy); unknown is fine. */
  public String delete(ApplicationConfig app, Runnable tick) {
    Process p = describe(app, tick);
    if (p == null) return "not known to pm2";
    check(run(app, List.of("delete", app.pm2Name()), tick), "delete " + app.pm2Name());
    return "pm2 delete " + app.pm2Name() + " (was " + p.status() + ")";
  }

  /** pm2 save: the process list is dumped, so a resurrected daemon starts the app again. */
  public String save(ApplicationConfig app, Runnable tick) {
    check(run(app, List.of("save", "--force"), tick), "save");
    return "pm2 save (" + (app.pm2Home() == null ? "~/.pm2" : app.pm2Home()) + ")";
  }

  private Commands.Result run(ApplicationConfig app, List<String> args, Runnable tick) {
    List<String> argv = new ArrayList<>();
    argv.add(pm2);
    argv.addAll(args);
    Map<String, String> env = new HashMap<>();
    if (app.pm2Home() != null) env.put("PM2_HOME", app.pm2Home());
    env.put("PM2_DISCRETE_MODE", "true"); // no pm2.io banner or telemetry prompts
    try {
      return Commands.run(argv, null, env, TIMEOUT, tick);
    } catch (IOException e) {
      throw FailureKind.PM2_FAILED.failure("cannot run " + pm2 + ": " + e.getMessage()
          + " (install it: ./lifeboat up does, or set LIFEBOAT_PM2_BIN)");
    }
  }

  private static void check(Commands.Result r, String what) {
    if (r.exit() != 0) {
      String last = Commands.lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
      throw FailureKind.PM2_FAILED.failure("pm2 " + what + " exited " + r.exit() + ": "
          + (last.length() > 300 ? last.substring(0, 300) + "…" : last));
    }
  }
}
