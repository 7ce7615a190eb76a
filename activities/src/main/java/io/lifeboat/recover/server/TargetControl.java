package io.lifeboat.recover.server;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Stops what a recovery started on a target (its nginx instance, its PM2 daemon, its
 * PostgreSQL cluster) and wipes its root, for `lifeboat target stop|reset` and `./lifeboat
 * down`. Only the target's own processes are touched: they are found by the target's pid file,
 * PM2_HOME and data directory, never by name.
 */
public final class TargetControl {
  private final String pm2;
  private final PgTools pg;

  public TargetControl(String pm2, PgTools pg) {
    this.pm2 = pm2;
    this.pg = pg;
  }

  /** One line per process stopped (or found not running). */
  public List<String> stop(ServerTargetConfig t) {
    List<String> said = new ArrayList<>();
    ToolRunner tools = new ToolRunner(() -> { });
    said.add(Nginx.stop(t, tools) ? "nginx stopped" : "nginx not running");
    if (Files.exists(Path.of(t.pm2Home(), "rpc.sock"))) {
      run(List.of(pm2, "kill"), Map.of("PM2_HOME", t.pm2Home(), "PM2_DISCRETE_MODE", "true"));
      said.add("pm2 daemon killed (" + t.pm2Home() + ")");
    } else {
      said.add("pm2 not running");
    }
    // Every cluster a recovery may have started: the target's own and, for a target listing
    // several databases (issue 17), each other one's under ROOT/postgresql/NAME-data.
    for (String dir : t.dataDirectories()) {
      String which = t.dataDirectories().size() == 1 ? "postgresql" : "postgresql " + dir;
      Path data = Path.of(dir);
      if (Files.exists(data.resolve("postmaster.pid"))) {
        String binDir = t.postgres().binDir();
        String pgCtl = binDir != null ? binDir + "/pg_ctl" : pg.tool("pg_ctl");
        List<String> argv = new ArrayList<>();
        if (!t.postgres().osUser().equals(System.getProperty("user.name"))) {
          argv.addAll(List.of("runuser", "-u", t.postgres().osUser(), "--"));
        }
        argv.addAll(List.of(pgCtl, "stop", "-D", data.toString(), "-m", "fast", "-w", "-t",
            "60"));
        Tools.Result r = run(argv, Map.of());
        said.add(r.exit() == 0 ? which + " stopped" : which + ": " + r.stderr().strip());
      } else {
        said.add(which + " not running");
      }
    }
    return said;
  }

  /** stop, then the whole root goes: the target is a bare directory again. */
  public List<String> reset(ServerTargetConfig t) throws IOException {
    List<String> said = new ArrayList<>(stop(t));
    Path root = Path.of(t.root());
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
      said.add("removed " + root);
    }
    return said;
  }

  private static Tools.Result run(List<String> argv, Map<String, String> env) {
    try {
      return Tools.run(argv, env, Duration.ofMinutes(2), null);
    } catch (IOException e) {
      return new Tools.Result(-1, "", e.getMessage());
    }
  }
}
