package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;
import java.net.URI;
import java.util.List;

/**
 * Production's database and application entries as they are on a recovery target: same names
 * (the archive and the backups are keyed by them), the target's ports, directories and PM2
 * home. Pure functions, used by the workflow and the CLI alike.
 */
public final class TargetEstate {
  private TargetEstate() {}

  public static DatabaseConfig database(ServerTargetConfig t, DatabaseConfig prod) {
    DatabaseConfig.RecoveryConfig r = prod.recovery();
    return prod.with(t.postgresHost(), port(t, prod.name()),
        new DatabaseConfig.RecoveryConfig(t.dataDirectory(prod.name()), t.postgres().osUser(),
            t.postgres().binDir(), null, r.downloadMbPerSecond(), settings(t)),
        // The target's host (issue 17): the child recovery's data directory steps run there.
        t.host());
  }

  /**
   * Where database {@code name}'s cluster listens on the target: {@code postgres.port} for the
   * target's own database, the port its {@code databases:} entry gives for any other (issue 17).
   */
  static int port(ServerTargetConfig t, String name) {
    if (name.equals(t.database())) return t.postgres().port();
    return t.databases().stream().filter(i -> name.equals(i.name()) && i.port() != null)
        .map(io.lifeboat.config.TargetItem::port).findFirst().orElse(t.postgres().port());
  }

  /**
   * The target's postgres.settings; on a target that is another machine ({@code host:}), also
   * where the recovered cluster listens, unless the settings say it: the target's PostgreSQL
   * address (where the control worker and the app dial it) and a socket directory under the
   * target's root. Production's postgresql.conf, which the base backup brings, names
   * production's addresses and socket directory, which a new machine does not have.
   */
  static List<String> settings(ServerTargetConfig t) {
    List<String> s = new java.util.ArrayList<>(t.postgres().settings());
    if (t.host() == null) return s;
    if (s.stream().noneMatch(x -> x.startsWith("listen_addresses="))) {
      s.add("listen_addresses=" + t.postgresHost());
    }
    if (s.stream().noneMatch(x -> x.startsWith("unix_socket_directories="))) {
      s.add("unix_socket_directories=" + t.root() + "/postgresql");
    }
    return List.copyOf(s);
  }

  /**
   * Where application {@code name} listens on the target: {@code appPort} for the target's own
   * application, the port its {@code applications:} entry gives for any other (issue 17).
   */
  static int appPort(ServerTargetConfig t, String name) {
    if (name.equals(t.application())) return t.appPort();
    return t.applications().stream().filter(i -> name.equals(i.name()) && i.port() != null)
        .map(io.lifeboat.config.TargetItem::port).findFirst().orElse(t.appPort());
  }

  public static ApplicationConfig application(ServerTargetConfig t, ApplicationConfig prod) {
    String base = "http://" + t.address() + ":" + appPort(t, prod.name());
    return new ApplicationConfig(prod.name(), t.releaseRoot(prod.name()), prod.pm2Name(),
        t.releaseRoot(prod.name()) + "/ecosystem.config.js", t.pm2Home(), base + healthPath(prod),
        List.of(), prod.excludes(), prod.backupSchedule(), prod.keep(), t.host());
  }

  /** The path of production's health URL (the seed's /api/health). */
  public static String healthPath(ApplicationConfig prod) {
    String path = URI.create(prod.healthUrl()).getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /**
   * Why the target is production itself, or null. A recovery onto it would overwrite what it
   * is meant to replace: the same cluster port on the same host, or the same release root.
   */
  public static String sameAsProduction(ServerTargetConfig t, DatabaseConfig db,
      ApplicationConfig app) {
    if (Boolean.TRUE.equals(t.production())) return "it is marked production: true";
    if (db.host().equals(t.postgresHost()) && db.port().equals(t.postgres().port())) {
      return "its PostgreSQL " + t.postgresHost() + ":" + t.postgres().port()
          + " is production's database " + db.name();
    }
    if (app.releaseRoot().equals(t.releaseRoot())) {
      return "its release root " + t.releaseRoot() + " is production's";
    }
    if (app.pm2Home() != null && app.pm2Home().equals(t.pm2Home())) {
      return "its PM2_HOME " + t.pm2Home() + " is production's";
    }
    return null;
  }

  /**
   * A playbook run on the target, with the target's database and the production app, and every
   * database and application the target restores (the playbook lays down each application's
   * PM2 ecosystem file).
   */
  static PlaybookRequest playbook(ServerTargetConfig t, ServerRecoveryRequest req,
      String playbook, String tags) {
    return new PlaybookRequest(t, playbook, tags, database(t, req.database()), req.application(),
        RestorePlan.order(req));
  }
}
