package io.lifeboat.workflows.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where things live in a repository. The layout is the contract that lets an operator recover
 * from the bucket and the config alone, so it is spelled out once, here.
 *
 * <pre>
 * PREFIX/db/DB/full/ID/{dump.pgc.zst, manifest.json}
 * PREFIX/app/APP/ID/{app.tar.gz, manifest.json}
 * PREFIX/config/ID/{config.tar.gz, manifest.json}
 * PREFIX/reports/KIND/WORKFLOW_ID/STARTED/{report.json, report.md}
 * PREFIX/db/DB/full/ID/{dump.pgc.zst, manifest.json, verification-VID.json...}
 * PREFIX/reports/check/latest.json
 * </pre>
 */
public final class RepositoryLayout {
  public static final String MANIFEST = "manifest.json";
  public static final String DUMP = "dump.pgc.zst";
  public static final String APP_ARCHIVE = "app.tar.gz";
  public static final String CONFIG_ARCHIVE = "config.tar.gz";

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

  /** Application backup ids also carry the commit: 20261121T030000Z-1a2b3c4d. */
  public static String appBackupId(long epochMillis, String commit) {
    String c = commit == null ? "" : commit.replaceAll("[^A-Za-z0-9]", "");
    return backupId(epochMillis) + "-" + (c.isEmpty() ? "nocommit" : c.substring(0, Math.min(8, c.length())));
  }

  public static String appBackupsRoot(String prefix, String app) {
    return join(prefix, "app", app) + "/";
  }

  public static String appBackupDir(String prefix, String app, String backupId) {
    return appBackupsRoot(prefix, app) + backupId + "/";
  }

  public static String configBackupsRoot(String prefix) {
    return join(prefix, "config") + "/";
  }

  public static String configBackupDir(String prefix, String backupId) {
    return configBackupsRoot(prefix) + backupId + "/";
  }

  public static String reportsRoot(String prefix) {
    return join(prefix, "reports") + "/";
  }

  /**
   * One run's report. A workflow id repeats (one recovery per database at a time, many over
   * the years), so the run's start time (a backup-style id) keeps runs apart and sorts them.
   */
  public static String reportKey(String prefix, String kind, String workflowId, long startedAt,
      String extension) {
    return reportsRoot(prefix) + kind + "/" + workflowId + "/" + backupId(startedAt) + "/report."
        + extension;
  }

  /**
   * A verification record beside the backup it verified; the manifest is never rewritten, so a
   * backup can carry many records, one per verification run (id = time of the run).
   */
  public static String verificationKey(String prefix, String database, String backupId,
      long verifiedAtMillis) {
    return fullBackupDir(prefix, database, backupId) + VERIFICATION_PREFIX
        + backupId(verifiedAtMillis) + ".json";
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
