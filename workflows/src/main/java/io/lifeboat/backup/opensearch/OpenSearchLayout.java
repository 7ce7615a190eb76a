package io.lifeboat.backup.opensearch;

/**
 * Where OpenSearch backups live in the repository (issue 19):
 *
 * <pre>
 * PREFIX/opensearch/NAME/snapshots/ID/{files.json, manifest.json, root/FILE}
 * PREFIX/opensearch/NAME/blobs/PATH
 * </pre>
 *
 * The node writes its snapshot into an {@code fs} repository; every file of that directory is
 * shipped once, zstd-compressed and sealed with the repository key, under {@code blobs/} at its
 * path in the fs repository (the node never rewrites a blob below the root: their names carry
 * UUIDs). The root files that change between snapshots ({@code index-N}, {@code index.latest})
 * are stored under the backup's own directory ({@code root/}). files.json lists every file the
 * backup needs (path, size, SHA-256, stored key); manifest.json ({@link OpenSearchManifest}),
 * written last, is the commit mark.
 */
public final class OpenSearchLayout {
  public static final String FILE_LIST = "files.json";

  private OpenSearchLayout() {}

  public static String root(String prefix, String name) {
    return join(prefix, "opensearch/" + name + "/");
  }

  /** The directory whose children are backup ids (what retention walks). */
  public static String snapshotsRoot(String prefix, String name) {
    return root(prefix, name) + "snapshots/";
  }

  public static String blobsRoot(String prefix, String name) {
    return root(prefix, name) + "blobs/";
  }

  public static String dir(String prefix, String name, String backupId) {
    return snapshotsRoot(prefix, name) + backupId + "/";
  }

  public static String manifestKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + io.lifeboat.repository.RepositoryLayout.MANIFEST;
  }

  public static String fileListKey(String prefix, String name, String backupId) {
    return dir(prefix, name, backupId) + FILE_LIST;
  }

  /** Where a file of the fs repository is stored: root files per backup, the rest shared. */
  public static String storedKey(String prefix, String name, String backupId, String path) {
    return path.contains("/") ? blobsRoot(prefix, name) + path
        : dir(prefix, name, backupId) + "root/" + path;
  }

  /** The node's snapshot name for a backup id (snapshot names are lower case). */
  public static String snapshotName(String backupId) {
    return "lifeboat-" + backupId.toLowerCase(java.util.Locale.ROOT);
  }

  private static String join(String prefix, String rest) {
    if (prefix == null || prefix.isBlank()) return rest;
    return prefix.endsWith("/") ? prefix + rest : prefix + "/" + rest;
  }
}
