package io.lifeboat.config;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code opensearch:} (issue 19): a plain name given once, a host of
 * {@code hosts:}, an http(s) URL, absolute directories, a repository name the node accepts.
 */
final class OpenSearchRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern REPO_NAME = Pattern.compile("[a-z0-9_][a-z0-9_.-]{0,62}");

  private OpenSearchRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.opensearch().size(); i++) {
      OpenSearchConfig o = c.opensearch().get(i);
      String key = "opensearch[" + i + "]";
      if (o == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (o.name() == null || !SAFE_NAME.matcher(o.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + o.name() + "'");
      }
      if (!names.add(o.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + o.name() + "'");
      }
      if (!validUrl(o.url())) {
        throw new ConfigException(where + ": '" + key + ".url' must be http://HOST:PORT or"
            + " https://HOST:PORT, not '" + o.url() + "'");
      }
      if (o.host() != null && c.host(o.host()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".host' names host '" + o.host()
            + "', which is not in hosts:");
      }
      // Relative directories are this machine's (taken from the config file's directory); on
      // another host (host:) they must be absolute.
      if (o.snapshotDir().isBlank() || o.host() != null && !o.snapshotDir().startsWith("/")) {
        throw new ConfigException(where + ": '" + key + ".snapshotDir' must be an absolute path"
            + (o.snapshotDir().isBlank() ? "" : " (the node is on host " + o.host() + ")"));
      }
      if (o.scratchDir() != null && (o.scratchDir().isBlank()
          || o.host() != null && !o.scratchDir().startsWith("/"))) {
        throw new ConfigException(where + ": '" + key + ".scratchDir' must be an absolute path"
            + (o.scratchDir().isBlank() ? "" : " (the node is on host " + o.host() + ")"));
      }
      if (!REPO_NAME.matcher(o.repository()).matches()) {
        throw new ConfigException(where + ": '" + key + ".repository' must be lower-case letters,"
            + " digits, _ . - (a snapshot repository name), not '" + o.repository() + "'");
      }
      if ((o.usernameEnv() == null) != (o.passwordEnv() == null)) {
        throw new ConfigException(where + ": '" + key + "' needs both usernameEnv and"
            + " passwordEnv, or neither");
      }
      if (o.indices().isBlank()) {
        throw new ConfigException(where + ": '" + key + ".indices' is empty");
      }
    }
  }

  /**
   * Relative snapshotDir and scratchDir are taken from the config file's directory, like the key
   * files: the worker, the CLI and the launcher, wherever they run, name the same directory (the
   * local stack's node keeps it under .lifeboat). Only for a node on this machine (no host:).
   */
  static java.util.List<OpenSearchConfig> absolute(java.util.List<OpenSearchConfig> nodes,
      java.nio.file.Path configDir) {
    if (nodes == null) return nodes;
    return nodes.stream().map(o -> o.host() != null ? o : new OpenSearchConfig(o.name(), o.host(), o.url(),
        o.usernameEnv(), o.passwordEnv(), o.repository(), abs(configDir, o.snapshotDir()),
        abs(configDir, o.scratchDir()), o.indices(), o.backupSchedule())).toList();
  }

  private static String abs(java.nio.file.Path configDir, String dir) {
    if (dir == null) return null;
    java.nio.file.Path p = java.nio.file.Path.of(dir);
    return (p.isAbsolute() || configDir == null ? p : configDir.resolve(p)).toAbsolutePath()
        .normalize().toString();
  }

  static boolean validUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && u.getHost() != null && (u.getPath() == null || u.getPath().isEmpty())
          && u.getQuery() == null;
    } catch (Exception e) {
      return false;
    }
  }
}
