package io.lifeboat.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of {@code files:} (issue 20), one line each, naming the key. */
final class FilesRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** An ssh login name: never a leading '-' (ssh would read an option). */
  private static final Pattern SSH_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
  /** A host name or IPv4/IPv6 address as ssh takes it; never a leading '-'. */
  private static final Pattern SSH_ADDRESS = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:%-]*");
  /**
   * What may travel in an ssh command line or BORG_RSH (which borg and rsync split on blanks):
   * no blanks, quotes, backslashes or shell metacharacters.
   */
  private static final Pattern SSH_SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./@%+=,:~-]*");

  private FilesRules() {}

  /** repositoryHost, repositoryUser, repositorySshConfig: a repository on another host over ssh. */
  private static void repositoryHost(String where, String key, FilesConfig f, LifeboatConfig c) {
    if (!f.remoteRepository()) {
      if (f.repositoryUser() != null || f.repositorySshConfig() != null) {
        throw new ConfigException(where + ": '" + key + "." + (f.repositoryUser() != null
            ? "repositoryUser" : "repositorySshConfig") + "' is only used with"
            + " repositoryHost (a repository on another host over ssh); set it or remove this");
      }
      return;
    }
    if (f.inObjectStore()) {
      throw new ConfigException(where + ": '" + key + ".repositoryHost' is for borg and rsync;"
          + " " + f.engine() + " keeps its repository in the object store (repository:)");
    }
    HostConfig h = c.host(f.repositoryHost()).orElseThrow(() -> new ConfigException(where
        + ": '" + key + ".repositoryHost' names host '" + f.repositoryHost()
        + "', which is not in hosts:" + (c.hosts().isEmpty() ? " (the file has no 'hosts:'"
            + " section)" : " (" + String.join(", ", c.hosts().stream().map(HostConfig::name)
                .toList()) + ")")));
    if (h.address() == null) {
      throw new ConfigException(where + ": '" + key + ".repositoryHost' names host '" + h.name()
          + "', which has no address in hosts: (ssh reaches the repository at it)");
    }
    if (!SSH_ADDRESS.matcher(h.address()).matches()) {
      throw new ConfigException(where + ": '" + key + ".repositoryHost' names host '" + h.name()
          + "', whose address '" + h.address() + "' is not a host name or IP address ssh can"
          + " dial");
    }
    if (f.repositoryUser() != null && !SSH_USER.matcher(f.repositoryUser()).matches()) {
      throw new ConfigException(where + ": '" + key + ".repositoryUser' must be a login name"
          + " (letters, digits, _ . -), not '" + f.repositoryUser() + "'");
    }
    if (f.repositorySshConfig() != null
        && !SSH_SAFE_PATH.matcher(f.repositorySshConfig()).matches()) {
      throw new ConfigException(where + ": '" + key + ".repositorySshConfig' must be an absolute"
          + " path without blanks or quotes (it goes into ssh's command line), not '"
          + f.repositorySshConfig() + "'");
    }
    if (!SSH_SAFE_PATH.matcher(f.repositoryPath()).matches()) {
      throw new ConfigException(where + ": '" + key + ".repositoryPath' on repositoryHost "
          + h.name() + " must be without blanks, quotes or shell characters (it travels in ssh"
          + " commands), not '" + f.repositoryPath() + "'");
    }
  }

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
            + " absolute path for engine " + f.engine() + " (its repository on "
            + (f.remoteRepository() ? "repositoryHost " + f.repositoryHost() : "the source's host")
            + ")" + (f.repositoryPath() == null ? "" : ", not '" + f.repositoryPath() + "'"));
      }
      repositoryHost(where, key, f, c);
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
