package io.lifeboat.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code mariadb:} (issue 19): a name is part of repository keys and workflow
 * ids, so it is a plain name, given once; either databases or all; database names plain; a host
 * must be one of {@code hosts:}.
 */
final class MariaDbRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{1,64}");

  private MariaDbRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.mariadb().size(); i++) {
      MariaDbConfig m = c.mariadb().get(i);
      String key = "mariadb[" + i + "]";
      if (m == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (m.name() == null || !SAFE_NAME.matcher(m.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + m.name() + "'");
      }
      if (!names.add(m.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + m.name() + "'");
      }
      if (m.port() < 1 || m.port() > 65535) {
        throw new ConfigException(where + ": '" + key + ".port' must be 1 to 65535");
      }
      if (!MariaDbConfig.LOGICAL.equals(m.method()) && !m.physical()) {
        throw new ConfigException(where + ": '" + key + ".method' must be 'logical' or"
            + " 'physical', not '" + m.method() + "'");
      }
      if (m.binlogArchiveSeconds() < 5 || m.binlogArchiveSeconds() > 86400) {
        throw new ConfigException(where + ": '" + key + ".binlogArchiveSeconds' must be 5 to"
            + " 86400, not " + m.binlogArchiveSeconds());
      }
      for (String[] path : new String[][] {{"dataDir", m.dataDir()},
          {"defaultsFile", m.defaultsFile()}}) {
        if (path[1] != null && (!path[1].startsWith("/") || path[1].contains("\n")
            || path[1].replaceAll("/+$", "").isEmpty())) {
          throw new ConfigException(where + ": '" + key + "." + path[0] + "' must be an"
              + " absolute path (not /), not '" + path[1] + "'");
        }
      }
      if (m.all() == !m.databases().isEmpty()) {
        throw new ConfigException(where + ": '" + key + "' needs either 'databases' (a list) or"
            + " 'all: true', not " + (m.all() ? "both" : "neither"));
      }
      Set<String> dbs = new HashSet<>();
      for (String db : m.databases()) {
        if (db == null || !DATABASE.matcher(db).matches()) {
          throw new ConfigException(where + ": '" + key + ".databases' holds '" + db
              + "': a database name is letters, digits, _ $ - (at most 64)");
        }
        if (MariaDbConfig.SYSTEM_SCHEMAS.contains(db.toLowerCase(java.util.Locale.ROOT))) {
          throw new ConfigException(where + ": '" + key + ".databases' holds the server's own"
              + " schema '" + db + "'");
        }
        if (!dbs.add(db)) {
          throw new ConfigException(where + ": '" + key + ".databases' repeats '" + db + "'");
        }
      }
      if (m.host() != null && c.host(m.host()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".host' names host '" + m.host()
            + "', which is not in hosts:");
      }
    }
  }
}
