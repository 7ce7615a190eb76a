package io.lifeboat.backup.mariadb;

/**
 * Where MariaDB backups live in the repository (issue 19), beside the PostgreSQL and Redis
 * paths:
 *
 * <pre>
 * PREFIX/mariadb/NAME/ID/{dump.sql.zst, manifest.json}
 * </pre>
 *
 * dump.sql.zst is one mariadb-dump of every database of the source (one transaction),
 * zstd-compressed, then sealed with the repository key when the repository encrypts;
 * manifest.json ({@link MariaDbManifest}) is the commit mark.
 */
public final class MariaDbLayout {
  public static final String DUMP = "dump.sql.zst";

  private MariaDbLayout() {}

  public static String root(String prefix, String name) {
    return join(prefix, "mariadb/" + name + "/");
  }

  public static String dir(String prefix, String name, String backupId) {
    return root(prefix, name) + backupId + "/";
  }

  public static String dumpKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + DUMP;
  }

  public static String manifestKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + io.lifeboat.repository.RepositoryLayout.MANIFEST;
  }

  private static String join(String prefix, String rest) {
    if (prefix == null || prefix.isBlank()) return rest;
    return prefix.endsWith("/") ? prefix + rest : prefix + "/" + rest;
  }
}
