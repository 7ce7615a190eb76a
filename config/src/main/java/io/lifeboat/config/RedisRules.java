package io.lifeboat.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code redis:} (issue 19): a name is part of repository keys and workflow ids,
 * so it is a plain name, given once; a host must be one of {@code hosts:}; dataDir absolute.
 */
final class RedisRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

  private RedisRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.redis().size(); i++) {
      RedisConfig r = c.redis().get(i);
      String key = "redis[" + i + "]";
      if (r == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (r.name() == null || !SAFE_NAME.matcher(r.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + r.name() + "'");
      }
      if (!names.add(r.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + r.name() + "'");
      }
      if (r.port() < 1 || r.port() > 65535) {
        throw new ConfigException(where + ": '" + key + ".port' must be 1 to 65535");
      }
      if (r.host() != null && c.host(r.host()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".host' names host '" + r.host()
            + "', which is not in hosts:");
      }
      if (r.dataDir() != null && !r.dataDir().startsWith("/")) {
        throw new ConfigException(where + ": '" + key + ".dataDir' must be an absolute path");
      }
    }
  }
}
