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
    return new DatabaseConfig(prod.name(), t.postgresHost(), t.postgres().port(), prod.user(),
        prod.passwordEnv(), prod.backupSchedule(), prod.validation(),
        new DatabaseConfig.RecoveryConfig(t.dataDirectory(), t.postgres().osUser(),
            t.postgres().binDir(), null, r.downloadMbPerSecond(), t.postgres().settings()));
  }

  public static ApplicationConfig application(ServerTargetConfig t, ApplicationConfig prod) {
    String base = "http://" + t.address() + ":" + t.appPort();
    return new ApplicationConfig(prod.name(), t.releaseRoot(), prod.pm2Name(),
        t.releaseRoot() + "/ecosystem.config.js", t.pm2Home(), base + healthPath(prod),
        List.of(), prod.excludes(), prod.backupSchedule(), prod.keep());
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

  /** A playbook run on the target, with the target's database and the production app. */
  static PlaybookRequest playbook(ServerTargetConfig t, ServerRecoveryRequest req,
      String playbook, String tags) {
    return new PlaybookRequest(t, playbook, tags, database(t, req.database()), req.application());
  }
}
