package io.lifeboat.config;

import java.util.regex.Pattern;

/** The checks every section's rules share; each names the file and the key it rejects. */
final class ConfigChecks {
  static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private ConfigChecks() {}

  /** A key written with nothing after it is null in YAML: present, so Jackson lets it pass. */
  static void requireValue(String where, String key, Object value) {
    if (value == null || value instanceof String str && str.isBlank()) {
      throw new ConfigException(where + ": '" + key + "' has no value");
    }
  }

  static void requireName(String where, String key, String value) {
    if (!SAFE_NAME.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must be letters, digits, _ . - (at most"
          + " 63), not '" + abbreviate(value) + "'");
    }
  }

  static void requireEnvName(String where, String key, String value) {
    if (!ENV_NAME.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must name an environment variable, not '"
          + abbreviate(value) + "'");
    }
  }

  static void requirePort(String where, String key, int port) {
    if (port < 1 || port > 65535) {
      throw new ConfigException(where + ": '" + key + "' must be a port between 1 and 65535");
    }
  }

  static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
