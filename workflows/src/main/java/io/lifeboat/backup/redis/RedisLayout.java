package io.lifeboat.backup.redis;

/**
 * Where Redis backups live in the repository (issue 19), beside {@code RepositoryLayout}'s
 * PostgreSQL paths:
 *
 * <pre>
 * PREFIX/redis/NAME/ID/{dump.rdb.zst, appendonlydir.tar.zst, manifest.json}
 * </pre>
 *
 * dump.rdb.zst is the RDB snapshot, zstd-compressed, then sealed with the repository key when
 * the repository encrypts; appendonlydir.tar.zst (when the source runs with appendonly) is a
 * tar of a consistent copy of its AOF directory, sealed the same way; manifest.json ({@link RedisManifest}) is the commit mark.
 */
public final class RedisLayout {
  public static final String SNAPSHOT = "dump.rdb.zst";
  public static final String AOF = "appendonlydir.tar.zst";

  private RedisLayout() {}

  public static String root(String prefix, String name) {
    return join(prefix, "redis/" + name + "/");
  }

  public static String dir(String prefix, String name, String backupId) {
    return root(prefix, name) + backupId + "/";
  }

  public static String snapshotKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + SNAPSHOT;
  }

  public static String aofKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + AOF;
  }

  public static String manifestKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + io.lifeboat.repository.RepositoryLayout.MANIFEST;
  }

  private static String join(String prefix, String rest) {
    if (prefix == null || prefix.isBlank()) return rest;
    return prefix.endsWith("/") ? prefix + rest : prefix + "/" + rest;
  }
}
