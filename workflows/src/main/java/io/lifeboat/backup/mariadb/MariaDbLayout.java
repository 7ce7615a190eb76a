package io.lifeboat.backup.mariadb;

/**
 * Where MariaDB backups live in the repository (issue 19), beside the PostgreSQL and Redis
 * paths:
 *
 * <pre>
 * PREFIX/mariadb/NAME/ID/{dump.sql.zst | backup.xbstream.zst, manifest.json}
 * PREFIX/mariadb/NAME/binlog/FILE.zst, FILE.json
 * </pre>
 *
 * A binlog file is archived once the server has closed it; FILE.json ({@link
 * MariaDbBinlogSegment}) is its commit mark, with the SHA-256 of the raw file and of the
 * stored object.
 *
 * dump.sql.zst is one mariadb-dump of every database of the source (one transaction),
 * zstd-compressed, then sealed with the repository key when the repository encrypts;
 * manifest.json ({@link MariaDbManifest}) is the commit mark.
 */
public final class MariaDbLayout {
  public static final String DUMP = "dump.sql.zst";
  /** A physical backup: mariadb-backup --stream=xbstream, zstd, the repository cipher. */
  public static final String PHYSICAL = "backup.xbstream.zst";

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

  public static String physicalKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + PHYSICAL;
  }

  public static String manifestKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + io.lifeboat.repository.RepositoryLayout.MANIFEST;
  }

  public static String binlogRoot(String prefix, String name) {
    return root(prefix, name) + "binlog/";
  }

  public static String binlogKey(String prefix, String name, String file) {
    return binlogRoot(prefix, name) + file + ".zst";
  }

  public static String binlogMarkKey(String prefix, String name, String file) {
    return binlogRoot(prefix, name) + file + ".json";
  }

  private static String join(String prefix, String rest) {
    if (prefix == null || prefix.isBlank()) return rest;
    return prefix.endsWith("/") ? prefix + rest : prefix + "/" + rest;
  }
}
