package io.lifeboat.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of {@code files:} (issue 20), one line each, naming the key. */
final class FilesRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private FilesRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.files().size(); i++) {
      FilesConfig f = c.files().get(i);
      String key = "files[" + i + "]";
      if (f == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (f.name() == null || !SAFE_NAME.matcher(f.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + f.name() + "'");
      }
      if (!names.add(f.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + f.name() + "'");
      }
      if (!FilesConfig.ENGINES.contains(f.engine())) {
        throw new ConfigException(where + ": '" + key + ".engine' must be restic, borg, rsync or duplicity,"
            + " not '" + f.engine() + "'");
      }
      if (f.inObjectStore() && f.repositoryPath() != null) {
        throw new ConfigException(where + ": '" + key + ".repositoryPath' is for borg and rsync;"
            + " " + f.engine() + " keeps its repository in the object store (repository:)");
      }
      if (f.fullEvery() < 1) {
        throw new ConfigException(where + ": '" + key + ".fullEvery' must be at least 1, not "
            + f.fullEvery());
      }
      if (!f.duplicity() && f.fullEvery() != FilesConfig.DEFAULT_FULL_EVERY) {
        throw new ConfigException(where + ": '" + key + ".fullEvery' is for engine duplicity"
            + " only; remove it");
      }
      if (!f.inObjectStore() && (f.repositoryPath() == null || !f.repositoryPath().startsWith("/"))) {
        throw new ConfigException(where + ": '" + key + ".repositoryPath' must be set to an"
            + " absolute path for engine " + f.engine() + " (its repository on the source's host)"
            + (f.repositoryPath() == null ? "" : ", not '" + f.repositoryPath() + "'"));
      }
      if (f.paths().isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".paths' must list at least one path");
      }
      for (int p = 0; p < f.paths().size(); p++) {
        String path = f.paths().get(p);
        if (path == null || !path.startsWith("/")) {
          throw new ConfigException(where + ": '" + key + ".paths[" + p + "]' must be an"
              + " absolute path, not '" + path + "'");
        }
      }
      boolean needsPassword = !FilesConfig.RSYNC.equals(f.engine());
      if (needsPassword && (f.passwordEnv() == null || !ENV_NAME.matcher(f.passwordEnv()).matches())) {
        throw new ConfigException(where + ": '" + key + ".passwordEnv' must name the environment"
            + " variable that holds the " + (f.restic() ? "restic repository password"
                : f.duplicity() ? "duplicity GPG passphrase" : "borg passphrase"));
      }
      if (!needsPassword && f.passwordEnv() != null) {
        throw new ConfigException(where + ": '" + key + ".passwordEnv' is not used by engine"
            + " rsync (its mirror is not encrypted); remove it");
      }
      FilesConfig.Keep k = f.keep();
      if (k.last() < 0 || k.daily() < 0 || k.weekly() < 0 || k.monthly() < 0) {
        throw new ConfigException(where + ": '" + key + ".keep' counts must not be negative");
      }
      if (f.checkReadDataPercent() < 1 || f.checkReadDataPercent() > 100) {
        throw new ConfigException(where + ": '" + key + ".checkReadDataPercent' must be 1 to 100");
      }
      if (f.restoreRoot() != null && !f.restoreRoot().startsWith("/")) {
        throw new ConfigException(where + ": '" + key + ".restoreRoot' must be an absolute path");
      }
      if (f.host() != null && c.host(f.host()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".host' names host '" + f.host()
            + "', which is not in hosts:");
      }
    }
  }
}
