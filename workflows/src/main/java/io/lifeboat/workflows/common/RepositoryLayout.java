package io.lifeboat.workflows.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where things live in a repository. The layout is the contract that lets an operator recover
 * from the bucket and the config alone, so it is spelled out once, here.
 *
 * <pre>
 * PREFIX/db/DB/full/ID/{dump.pgc.zst, manifest.json, verification-TIME-MS.json...}
 * PREFIX/reports/check/latest.json
 * </pre>
 */
public final class RepositoryLayout {
  public static final String MANIFEST = "manifest.json";
  public static final String DUMP = "dump.pgc.zst";

  private static final DateTimeFormatter ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RepositoryLayout() {}

  /** Backup ids sort by time as strings: 20261121T020000Z. */
  public static String backupId(long epochMillis) {
    return ID_FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String fullBackupsRoot(String prefix, String database) {
    return join(prefix, "db", database, "full") + "/";
  }

  public static String fullBackupDir(String prefix, String database, String backupId) {
    return fullBackupsRoot(prefix, database) + backupId + "/";
  }

  public static String dumpKey(String prefix, String database, String backupId) {
    return fullBackupDir(prefix, database, backupId) + DUMP;
  }

  public static String manifestKey(String prefix, String database, String backupId) {
    return fullBackupDir(prefix, database, backupId) + MANIFEST;
  }

  /**
   * A verification record beside the backup it verified; the manifest is never rewritten, so a
   * backup can carry many records, one per verification run (id = time of the run).
   */
  public static String verificationKey(String prefix, String database, String backupId,
      long verifiedAtMillis) {
    // Milliseconds too: two runs in the same second must not overwrite each other's record.
    return fullBackupDir(prefix, database, backupId) + VERIFICATION_PREFIX
        + backupId(verifiedAtMillis) + "-" + String.format("%03d", verifiedAtMillis % 1000)
        + ".json";
  }

  public static boolean isVerificationRecord(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.startsWith(VERIFICATION_PREFIX) && name.endsWith(".json");
  }

  /** The last scheduled check's findings, so the next run notifies only on a change. */
  public static String latestCheckKey(String prefix) {
    return join(prefix, "reports", "check", "latest.json");
  }

  public static final String VERIFICATION_PREFIX = "verification-";

  private static String join(String prefix, String... parts) {
    String tail = String.join("/", parts);
    return prefix == null || prefix.isEmpty() ? tail : prefix + "/" + tail;
  }
}
