package io.lifeboat.offsite;

import io.lifeboat.repository.RepositoryLayout;

/**
 * How the offsite bucket is laid out: the primary's layout ({@link RepositoryLayout}) under the
 * offsite prefix, each copied object with {@link #META_COPY_SHA256}, plus the copy records.
 */
public final class OffsiteLayout {
  /** User metadata of every copied object: hex SHA-256 of its bytes as read from the primary. */
  public static final String META_COPY_SHA256 = "lifeboat-copy-sha256";
  /**
   * PREFIX/offsite-copies/KIND/SOURCE/STARTED-MS-WORKFLOW_ID.json: one record per copy run
   * (records stored before 2026-11-22 are named STARTED.json, to the second).
   */
  public static final String RECORDS = "offsite-copies/";

  private OffsiteLayout() {}

  public static String join(String prefix, String relative) {
    return prefix == null || prefix.isEmpty() ? relative : prefix + "/" + relative;
  }

  /** The key relative to the prefix. */
  public static String relative(String prefix, String key) {
    String p = prefix == null || prefix.isEmpty() ? "" : prefix + "/";
    return key.startsWith(p) ? key.substring(p.length()) : key;
  }

  /**
   * Where a copy run's record goes. The start to the millisecond and the run's workflow id: the
   * copies after two backups of one source started in the same second (each backup starts its
   * own copy) start in the same second too, and with the second alone the later record
   * replaced the earlier one.
   */
  public static String recordKey(String offsitePrefix, String kind, String source,
      long startedAtMillis, String workflowId) {
    String run = workflowId == null ? "" : workflowId.replaceAll("[^A-Za-z0-9._-]", "_");
    return join(offsitePrefix, RECORDS + kind + "/" + source + "/"
        + RepositoryLayout.backupId(startedAtMillis) + "-"
        + String.format("%03d", Math.floorMod(startedAtMillis, 1000L))
        + (run.isEmpty() ? "" : "-" + run) + ".json");
  }

  /** The directory of a key ("db/x/full/ID/"), or "" for a key at the top. */
  public static String dir(String relativeKey) {
    int slash = relativeKey.lastIndexOf('/');
    return slash < 0 ? "" : relativeKey.substring(0, slash + 1);
  }

  public static boolean isManifest(String key) {
    return key.endsWith("/" + RepositoryLayout.MANIFEST) || key.equals(RepositoryLayout.MANIFEST);
  }
}
