package io.lifeboat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks and path handling of the {@code applications:} and {@code configuration:}
 * sections, kept apart from {@link ConfigLoader} so that file stays about the core settings.
 */
final class ApplicationConfigRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s/]+(/\\S*)?");

  private ApplicationConfigRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.applications().size(); i++) {
      ApplicationConfig a = c.applications().get(i);
      String key = "applications[" + i + "]";
      if (a == null) throw new ConfigException(where + ": '" + key + "' is empty");
      require(where, key + ".name", a.name());
      require(where, key + ".releaseRoot", a.releaseRoot());
      require(where, key + ".healthUrl", a.healthUrl());
      require(where, key + ".pm2Name", a.pm2Name());
      require(where, key + ".backupSchedule", a.backupSchedule());
      if (!SAFE_NAME.matcher(a.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + a.name() + "'");
      }
      if (!seen.add(a.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + a.name() + "'");
      }
      if (!SAFE_NAME.matcher(a.pm2Name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".pm2Name' must be letters, digits, _ . -");
      }
      url(where, key + ".healthUrl", a.healthUrl());
      for (int j = 0; j < a.criticalEndpoints().size(); j++) {
        url(where, key + ".criticalEndpoints[" + j + "]", a.criticalEndpoints().get(j));
      }
      for (String ex : a.excludes()) {
        if (ex == null || ex.isBlank() || ex.contains("/") || ex.equals(".") || ex.equals("..")) {
          throw new ConfigException(where + ": '" + key + ".excludes' holds names of files or"
              + " directories (node_modules, .git), not paths: '" + ex + "'");
        }
      }
      if (a.keep() < 1) {
        throw new ConfigException(where + ": '" + key + ".keep' must be at least 1");
      }
    }
    ConfigurationBackupConfig cfg = c.configuration();
    for (int i = 0; i < cfg.files().size(); i++) {
      require(where, "configuration.files[" + i + "]", cfg.files().get(i));
    }
    require(where, "configuration.schedule", cfg.schedule());
    if (cfg.keep() < 1) {
      throw new ConfigException(where + ": 'configuration.keep' must be at least 1");
    }
  }

  /** Relative paths are taken from the directory the command runs in, like localCopyDir. */
  static List<ApplicationConfig> absolute(List<ApplicationConfig> apps) {
    List<ApplicationConfig> out = new ArrayList<>();
    for (ApplicationConfig a : apps) {
      out.add(new ApplicationConfig(a.name(), abs(a.releaseRoot()), a.pm2Name(),
          abs(a.ecosystemFile()), abs(a.pm2Home()), a.healthUrl(), a.criticalEndpoints(),
          a.excludes(), a.backupSchedule(), a.keep(), a.host()));
    }
    return out;
  }

  static ConfigurationBackupConfig absolute(ConfigurationBackupConfig c) {
    return new ConfigurationBackupConfig(c.files().stream().map(ApplicationConfigRules::abs).toList(),
        abs(c.nginxDir()), abs(c.ecosystemFile()), abs(c.jenkinsCascFile()), c.schedule(), c.keep(), c.host());
  }

  private static String abs(String p) {
    return p == null ? null : Path.of(p).toAbsolutePath().normalize().toString();
  }

  private static void require(String where, String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(where + ": '" + key + "' has no value");
    }
  }

  private static void url(String where, String key, String value) {
    if (!URL.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must be an http(s) URL, not '" + value + "'");
    }
  }
}
