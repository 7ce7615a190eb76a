package io.lifeboat.drill;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.DrillsConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.recover.server.TargetEstate;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a drill restores to, and the rule that it is never production. Pure functions: the CLI
 * calls {@link #refusal} before it starts anything, and the workflow calls it again first thing
 * (a schedule or another client may start a drill without the CLI).
 */
public final class DrillTargets {
  static final int MAX_IDENTIFIER = 63;
  /** Every scratch database a drill creates (and drops) is named so; the activity checks it too. */
  public static final String DEFAULT_DB_PREFIX = "lifeboat_drill_";
  private static final Set<String> SYSTEM_DATABASES = Set.of("postgres", "template0", "template1");

  private DrillTargets() {}

  /**
   * Scratch database for {@code db}: the configured name (suffixed _DB when several), else one
   * per run, {@code lifeboat_drill_<db>_<run key>} ({@link io.lifeboat.repository.RunKeys}:
   * the random end of the run id, so a monthly and a quarterly drill started together differ).
   */
  public static String scratchDatabase(DrillsConfig drills, DatabaseConfig db,
      List<DatabaseConfig> all, String runKey) {
    String name = drills.scratchDatabase();
    if (name != null) {
      return all.size() > 1 ? clip(name + "_" + sanitize(db.name())) : name;
    }
    String suffix = "_" + runKey.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    String base = sanitize(db.name());
    int room = MAX_IDENTIFIER - DEFAULT_DB_PREFIX.length() - suffix.length();
    return DEFAULT_DB_PREFIX + (base.length() > room ? base.substring(0, room) : base) + suffix;
  }

  /** The scratch release root the application is restored into. */
  public static String appRoot(DrillsConfig drills, ApplicationConfig app) {
    return drills.appDir() != null ? strip(drills.appDir()) : strip(app.releaseRoot()) + "-drill";
  }

  public static String appPm2Name(DrillsConfig drills, ApplicationConfig app) {
    return drills.appPm2Name() != null ? drills.appPm2Name() : app.pm2Name() + "-drill";
  }

  /**
   * The server target of the full-system scenario, with production's database and application
   * entries it restores, or the config error that leaves none.
   */
  public record ServerPick(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, String error) {}

  /**
   * drills.serverTarget by name, else the only target not marked production. A named production
   * target is returned (so {@link #refusal} refuses it by the production rule), never guessed.
   */
  public static ServerPick serverTarget(DrillRequest r) {
    String name = r.drills().serverTarget();
    String names = String.join(", ", r.servers().stream().map(ServerTargetConfig::name).toList());
    ServerTargetConfig t;
    if (r.servers().isEmpty()) {
      return new ServerPick(null, null, null, "the full-system scenario needs a server target:"
          + " the config has no servers: section (see docs/operator/server-recovery.md)");
    }
    if (name != null) {
      t = r.servers().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
      if (t == null) {
        return new ServerPick(null, null, null, "drills.serverTarget '" + name
            + "' is not in servers: (" + names + ")");
      }
    } else {
      List<ServerTargetConfig> candidates = r.servers().stream()
          .filter(x -> !Boolean.TRUE.equals(x.production())).toList();
      if (candidates.size() != 1) {
        return new ServerPick(null, null, null, "set drills.serverTarget to the target the"
            + " full-system scenario recovers onto (" + (candidates.isEmpty()
                ? "every target in servers: is production" : "one of " + names) + ")");
      }
      t = candidates.get(0);
    }
    ServerTargetConfig target = t;
    DatabaseConfig db = r.databases().stream().filter(d -> d.name().equals(target.database()))
        .findFirst().orElse(null);
    ApplicationConfig app = r.applications().stream()
        .filter(a -> a.name().equals(target.application())).findFirst().orElse(null);
    if (db == null || app == null) {
      return new ServerPick(null, null, null, "server target " + target.name() + " names "
          + (db == null ? "database " + target.database() : "application " + target.application())
          + ", which is not in the config");
    }
    return new ServerPick(target, db, app, null);
  }

  /**
   * Why this drill would touch production, or empty. Checks only what the planned scenarios
   * use: a scratch database that is a configured (or system) database on the same server; an
   * application directory that is, holds or lies inside a release root; a PM2 name or port that
   * a production application uses.
   */
  public static Optional<String> refusal(DrillRequest r, List<String> scenarios, String runKey) {
    List<String> problems = new ArrayList<>();
    if (scenarios.contains(DrillScenarios.DATABASE)) {
      for (DatabaseConfig db : r.databases()) {
        String scratch = scratchDatabase(r.drills(), db, r.databases(), runKey);
        int before = problems.size();
        for (DatabaseConfig prod : r.databases()) {
          if (sameServer(prod, db) && prod.name().equals(scratch)) {
            problems.add("scratch database " + scratch + " on " + db.host() + ":" + db.port()
                + " is the production database " + prod.name());
          }
        }
        if (SYSTEM_DATABASES.contains(scratch)) {
          problems.add("scratch database " + scratch + " is a system database");
        } else if (!scratch.startsWith(DEFAULT_DB_PREFIX) && problems.size() == before) {
          problems.add("scratch database " + scratch + " must start with " + DEFAULT_DB_PREFIX
              + " (a drill only ever creates and drops databases named so)");
        }
      }
    }
    if (scenarios.contains(DrillScenarios.APPLICATION)) {
      for (ApplicationConfig app : r.applications()) {
        String root = appRoot(r.drills(), app);
        String name = appPm2Name(r.drills(), app);
        for (ApplicationConfig prod : r.applications()) {
          String prodRoot = strip(prod.releaseRoot());
          if (root.equals(prodRoot) || root.startsWith(prodRoot + "/")
              || prodRoot.startsWith(root + "/")) {
            problems.add("drill directory " + root + " is or overlaps the release root " + prodRoot
                + " of " + prod.name());
          }
          if (prod.pm2Name().equals(name)) {
            problems.add("PM2 name " + name + " is the production process of " + prod.name());
          }
          if (port(prod.healthUrl()) == r.drills().appPort()) {
            problems.add("port " + r.drills().appPort() + " is the production port of "
                + prod.name());
          }
        }
      }
    }
    if (scenarios.contains(DrillScenarios.FULL_SYSTEM)) {
      ServerPick pick = serverTarget(r);
      if (pick.target() != null) {
        String why = TargetEstate.sameAsProduction(pick.target(), pick.database(),
            pick.application());
        if (why != null) {
          problems.add("server target " + pick.target().name() + " is production (" + why + ")");
        }
      }
    }
    if (scenarios.contains(DrillScenarios.FILES)) {
      // The scratch directory goes under restoreRoot when set (else the host's temp directory,
      // which the activity checks the same way on the host): never into production's files.
      for (io.lifeboat.config.FilesConfig f : r.files()) {
        if (f.restoreRoot() == null) continue;
        String root = strip(f.restoreRoot());
        for (String p : f.paths()) {
          if (inside(root, strip(p))) {
            problems.add("files " + f.name() + ": the drill's scratch directory would be under"
                + " restoreRoot " + root + ", inside the source path " + strip(p));
          }
        }
        if (f.repositoryPath() != null && inside(root, strip(f.repositoryPath()))) {
          problems.add("files " + f.name() + ": the drill's scratch directory would be under"
              + " restoreRoot " + root + ", inside the repository " + strip(f.repositoryPath()));
        }
      }
    }
    return problems.isEmpty() ? Optional.empty()
        : Optional.of("drill refused, nothing started: " + String.join("; ", problems));
  }

  /** The URL with its port replaced: the production health URL, asked of the scratch copy. */
  public static String onPort(String url, int port) {
    try {
      URI u = URI.create(url);
      return new URI(u.getScheme(), u.getUserInfo(), u.getHost(), port, u.getPath(), u.getQuery(),
          u.getFragment()).toString();
    } catch (Exception e) {
      return url;
    }
  }

  static int port(String url) {
    try {
      URI u = URI.create(url);
      if (u.getPort() > 0) return u.getPort();
      return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static boolean sameServer(DatabaseConfig a, DatabaseConfig b) {
    return a.host().equalsIgnoreCase(b.host()) && java.util.Objects.equals(a.port(), b.port());
  }

  private static String sanitize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /** {@code path} is {@code dir} or lies below it. */
  private static boolean inside(String path, String dir) {
    return path.equals(dir) || "/".equals(dir) || path.startsWith(dir + "/");
  }

  private static String clip(String s) {
    return s.length() > MAX_IDENTIFIER ? s.substring(0, MAX_IDENTIFIER) : s;
  }

  private static String strip(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p;
  }

  /** The drill's targets as the lead's start approval names them. */
  static String describe(DrillRequest r, List<String> scenarios, String scratchKey) {
    List<String> t = new ArrayList<>();
    if (scenarios.contains(DrillScenarios.DATABASE)) {
      for (var db : r.databases()) {
        t.add("database " + scratchDatabase(r.drills(), db, r.databases(), scratchKey)
            + " on " + db.host() + ":" + db.port());
      }
    }
    if (scenarios.contains(DrillScenarios.APPLICATION)) {
      for (var app : r.applications()) {
        t.add("app " + appPm2Name(r.drills(), app) + " in "
            + appRoot(r.drills(), app) + " on port " + r.drills().appPort());
      }
    }
    if (scenarios.contains(DrillScenarios.FULL_SYSTEM)) {
      var pick = serverTarget(r);
      if (pick.target() != null) {
        t.add("server " + pick.target().name() + " (" + pick.target().root() + ", its human"
            + " steps approved on " + io.lifeboat.recover.server.ServerRecoveryWorkflow
                .workflowId(pick.target().name()) + ")");
      }
    }
    for (String e : DrillScenarios.ENGINES) {
      if (!scenarios.contains(e)) continue;
      for (String n : DrillScenarios.sources(r, e)) {
        t.add(e + " " + n + " into " + switch (e) {
          case DrillScenarios.MARIADB -> "a scratch mariadbd on a free port";
          case DrillScenarios.REDIS -> "a scratch redis-server on a free port";
          case DrillScenarios.FILES -> FilesScenario.scratchDescription(r, n, scratchKey);
          default -> "scratch indices lifeboat-verify-drill-* on its node";
        });
      }
    }
    return String.join(", ", t);
  }
}
