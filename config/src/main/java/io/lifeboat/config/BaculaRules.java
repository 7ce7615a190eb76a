package io.lifeboat.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of {@code bacula:} (issue 20), one line each, naming the key. */
final class BaculaRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  /** A Bacula resource name: no blanks or quotes, so it goes on a bconsole line as it is. */
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]{0,126}");

  private BaculaRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.bacula().size(); i++) {
      BaculaConfig b = c.bacula().get(i);
      String key = "bacula[" + i + "]";
      if (b == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (b.name() == null || !SAFE_NAME.matcher(b.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + b.name() + "'");
      }
      if (!names.add(b.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + b.name() + "'");
      }
      absolute(where, key + ".bconsoleConfig", b.bconsoleConfig(), true,
          " (the bconsole.conf that reaches the Director)");
      resource(where, key + ".job", b.job(), "the Director's backup Job");
      resource(where, key + ".client", b.client(), "the Client the restore runs on");
      absolute(where, key + ".restoreWhere", b.restoreWhere(), false, "");
      absolute(where, key + ".comparePath", b.comparePath(), false, "");
      if (b.comparePath() != null && b.restoreWhere() == null) {
        throw new ConfigException(where + ": '" + key + ".comparePath' needs restoreWhere (the"
            + " scratch directory the job is restored into before the comparison)");
      }
      if (b.host() != null && c.host(b.host()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".host' names host '" + b.host()
            + "', which is not in hosts:");
      }
    }
  }

  private static void absolute(String where, String key, String path, boolean required,
      String what) {
    if (path == null && !required) return;
    if (path == null || !path.startsWith("/") || path.contains("\n")) {
      throw new ConfigException(where + ": '" + key + "' must be an absolute path" + what
          + (path == null ? "" : ", not '" + path + "'"));
    }
  }

  private static void resource(String where, String key, String value, String what) {
    if (value == null || !RESOURCE.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must name " + what + " (letters,"
          + " digits, _ . : -)" + (value == null ? "" : ", not '" + value + "'"));
    }
  }
}
