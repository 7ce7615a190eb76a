package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

/** The checks of the verification, checks and notifications sections (issue #7). */
final class MonitoringRules {
  private MonitoringRules() {}

  static void validate(String where, LifeboatConfig c) {
    ChecksConfig k = c.checks();
    if (k.maxAgeHours() < 1) {
      throw new ConfigException(where + ": 'checks.maxAgeHours' must be at least 1");
    }
    if (k.baseMaxAgeHours() < 1 || k.appMaxAgeHours() < 1 || k.configMaxAgeHours() < 1) {
      throw new ConfigException(where + ": 'checks.baseMaxAgeHours', 'checks.appMaxAgeHours' and"
          + " 'checks.configMaxAgeHours' must be at least 1");
    }
    if (k.redisMaxAgeHours() < 1 || k.mariadbMaxAgeHours() < 1
        || k.opensearchMaxAgeHours() < 1 || k.filesMaxAgeHours() < 1) {
      throw new ConfigException(where + ": 'checks.redisMaxAgeHours', 'checks.mariadbMaxAgeHours',"
          + " 'checks.opensearchMaxAgeHours' and 'checks.filesMaxAgeHours' must be at least 1");
    }
    if (k.drillGraceDays() < 0) {
      throw new ConfigException(where + ": 'checks.drillGraceDays' must be 0 or more");
    }
    if (k.daily() < 0 || k.weekly() < 0 || k.monthly() < 0) {
      throw new ConfigException(where + ": 'checks.daily', 'checks.weekly' and 'checks.monthly'"
          + " must be 0 or more");
    }
    // A requirement the retention cannot keep would fail every check: say so now instead. Each
    // requirement is met by the days (fullDays) or by the GFS keep of its own period, which
    // must count the current, still open period too (hence +1).
    int keep = c.retention().fullDays();
    RetentionConfig.Keep gfs = c.retention().keep() != null ? c.retention().keep()
        : RetentionConfig.Keep.NONE;
    if ((k.daily() + 1 > keep && k.daily() + 1 > gfs.daily())
        || (7 * k.weekly() > keep && k.weekly() + 1 > gfs.weekly())
        || (31 * k.monthly() > keep && k.monthly() + 1 > gfs.monthly())) {
      throw new ConfigException(where + ": 'checks' asks for " + k.daily() + " daily, "
          + k.weekly() + " weekly and " + k.monthly() + " monthly backups, but"
          + " 'retention.fullDays' " + keep + (c.retention().keep() != null
              ? " and 'retention.keep' " + gfs.daily() + "/" + gfs.weekly() + "/"
                  + gfs.monthly() + " (daily/weekly/monthly)" : "")
          + " keep fewer (needs daily+1, 7 x weekly and 31 x monthly days at most, or keep"
          + " counts of daily+1, weekly+1 and monthly+1)");
    }
    requireValue(where, "checks.schedule", k.schedule());
    ReadinessConfig r = c.readiness();
    if (r.everyMinutes() < 1 || r.everyMinutes() > 1440) {
      throw new ConfigException(where + ": 'readiness.everyMinutes' must be between 1 and 1440");
    }
    if (r.sampleBytes() < 1 || r.sampleBytes() > 1 << 20) {
      throw new ConfigException(where + ": 'readiness.sampleBytes' must be between 1 and 1048576");
    }
    if (r.resolver() != null && !r.resolver().matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?")) {
      throw new ConfigException(where + ": 'readiness.resolver' must be host or host:port, not '"
          + abbreviate(r.resolver()) + "'");
    }
    requireValue(where, "verification.schedule", c.verification().schedule());
    NotificationsConfig n = c.notifications();
    if (!(n.statusEveryMinutes() > 0) || n.statusEveryMinutes().isInfinite()) {
      throw new ConfigException(where + ": 'notifications.statusEveryMinutes' must be more than 0"
          + " (minutes between status messages while a recovery runs; default 30)");
    }
    if (n.webhook() != null) {
      requireValue(where, "notifications.webhook.urlEnv", n.webhook().urlEnv());
      requireEnvName(where, "notifications.webhook.urlEnv", n.webhook().urlEnv());
    }
    NotificationsConfig.Email e = n.email();
    if (e != null) {
      requireValue(where, "notifications.email.host", e.host());
      requireValue(where, "notifications.email.from", e.from());
      requirePort(where, "notifications.email.port", e.port());
      if (e.to().isEmpty()) {
        throw new ConfigException(where + ": 'notifications.email.to' must list at least one"
            + " address");
      }
      for (String addr : e.to()) {
        if (addr == null || !addr.matches("[^@\\s]+@[^@\\s]+")) {
          throw new ConfigException(where + ": 'notifications.email.to' holds '" + addr
              + "', not an email address");
        }
      }
      if (!e.from().matches("[^@\\s]+@[^@\\s]+")) {
        throw new ConfigException(where + ": 'notifications.email.from' is not an email address");
      }
      if ((e.usernameEnv() == null) != (e.passwordEnv() == null)) {
        throw new ConfigException(where + ": 'notifications.email' needs both usernameEnv and"
            + " passwordEnv, or neither");
      }
      if (e.usernameEnv() != null) {
        requireEnvName(where, "notifications.email.usernameEnv", e.usernameEnv());
        requireEnvName(where, "notifications.email.passwordEnv", e.passwordEnv());
      }
    }
  }
}
