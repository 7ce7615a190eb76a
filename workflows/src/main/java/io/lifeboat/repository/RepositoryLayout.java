package io.lifeboat.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where things live in a repository. The layout is the contract that lets an operator recover
 * from the bucket and the config alone, so it is spelled out once, here.
 *
 * <pre>
 * PREFIX/db/DB/full/ID/{dump.pgc.zst, manifest.json, verification-TIME-MS.json...}
 * PREFIX/app/APP/ID/{app.tar.gz, manifest.json}
 * PREFIX/config/ID/{config.tar.gz, manifest.json}
 * PREFIX/reports/KIND/WORKFLOW_ID/STARTED-MS/{report.json, report.md, report.html}
 * PREFIX/reports/check/latest.json
 * PREFIX/db/DB/base/ID/{base.tar.zst, backup_manifest.zst, manifest.json}
 * PREFIX/wal/DB/TTTTTTTT/SEGMENT.zst            WAL segments of timeline TTTTTTTT
 * PREFIX/wal/DB/TTTTTTTT/SEGMENT.OFFSET.backup.zst, SEGMENT.partial.zst
 * PREFIX/wal/DB/TTTTTTTT.history.zst            timeline history files
 * </pre>
 *
 * <p>ID is a backup id: {@link #uniqueBackupId} (20261121T020000Z.123-4f9a2c1d, application
 * ids with "-COMMIT" after it) since 2026-11-22, the second-resolution {@link #backupId} before;
 * both shapes sort together by time as strings and {@link #backupTime} reads either. A
 * directory's manifest.json is its commit mark and is never overwritten.
 *
 * <p>WAL objects: DB is the configured database whose cluster archives the WAL. Each object is
 * one zstd frame of the file PostgreSQL handed to archive_command, with S3 user metadata
 * {@value #META_SHA256} (hex SHA-256 of the raw, uncompressed file), {@value #META_RAW_BYTES}
 * and (since 2026-12-06) {@value #META_WRITTEN_AT};
 * wal-fetch refuses a file whose checksum does not match. An object, once written, is never
 * overwritten (put-if-absent): the same content again is a no-op, different content is an error.
 *
 * <p>Base backups, two formats, both readable: (2, since 2026-11-22) base.tar.zst is the base
 * tar compressed by the server ({@code pg_basebackup -Ft -X stream
 * --compress=server-zstd}: zstd frames, without backup_manifest) and backup_manifest.zst
 * is PostgreSQL's backup_manifest beside it, zstd-compressed; (1, older) base.tar.zst is the
 * tar stream of {@code pg_basebackup -Ft -X none -D -} (its backup_manifest inside),
 * compressed by the worker, and there is no backup_manifest.zst. Either way every object is
 * sealed when the repository encrypts, and manifest.json ({@code BaseBackupManifest}, whose
 * backupManifestKey tells the formats apart) is written last and only after pg_verifybackup
 * passed on the backup plus the WAL it needs.
 */
public final class RepositoryLayout {
  public static final String MANIFEST = "manifest.json";
  public static final String DUMP = "dump.pgc.zst";
  public static final String APP_ARCHIVE = "app.tar.gz";
  public static final String CONFIG_ARCHIVE = "config.tar.gz";

  private static final DateTimeFormatter ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RepositoryLayout() {}

  /**
   * A second-resolution time stamp, 20261121T020000Z: the shape of every backup id written
   * before 2026-11-22, and still the key of things that are not backups (report runs, offsite
   * records, recovery ids), which carry a workflow id beside it. New backups take
   * {@link #uniqueBackupId}: two backups started in the same second got the same id here, and
   * the second overwrote the first's dump and manifest.
   */
  public static String backupId(long epochMillis) {
    return ID_FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * A backup id no other run gets: {@code 20261121T020000Z.123-4f9a2c1d}, that is the old
   * second-resolution id of the start time, "." and its millisecond, "-" and the last 8
   * alphanumerics of the workflow's run id (lower case).
   *
   * <p>Why this shape:
   * <ul>
   * <li>Every new id starts with the old id of the same second, so old and new ids sort together
   *     as plain strings: different seconds compare on the old 16 characters exactly as before,
   *     and within one second an old id (a prefix) sorts first, as if it had been taken at .000
   *     (it was truncated to the second). The "." (0x2E) sorts after the "-" (0x2D) of an old
   *     application id's commit suffix, so old app ids of that second sort first too.
   * <li>The millisecond orders runs within a second; the run id piece makes two runs started in
   *     the same millisecond (a schedule firing as an operator starts one) differ. The last 8
   *     hex digits of a run id (UUID v4 or v7) are random: 32 bits leave one chance in four
   *     billion for two runs in one millisecond, and even then the commit refuses to write over
   *     a committed manifest.
   * <li>Both come from the workflow (its time and its run id), so the id is deterministic; the
   *     workflows record it once in a side effect so a reset run keeps it.
   * <li>Readable and safe in an object key and on a command line: digits, letters, ".", "-".
   * </ul>
   */
  public static String uniqueBackupId(long epochMillis, String runId) {
    // The END of the run id (RunKeys): the server makes UUIDv7 run ids, whose first 12 hex
    // digits are its clock in milliseconds (two runs started together share them; seen on the
    // local stack), while the last ones are random in v7 as in v4.
    String run = RunKeys.of(runId);
    return backupId(epochMillis) + "." + String.format("%03d", Math.floorMod(epochMillis, 1000L))
        + "-" + run;
  }

  /**
   * Any backup id, either shape, with the optional "-SUFFIX" of application ids (the commit):
   * group 1 the second, group 2 the millisecond (absent in old ids), group 3 the run piece.
   */
  public static final java.util.regex.Pattern BACKUP_ID = java.util.regex.Pattern.compile(
      "(\\d{8}T\\d{6}Z)(?:\\.(\\d{3})-([0-9a-z]{" + RunKeys.LENGTH + "}))?(?:-[A-Za-z0-9]{1,64})?");

  /** Whether a string is a backup id of either shape (application ids included). */
  public static boolean isBackupId(String id) {
    return id != null && BACKUP_ID.matcher(id).matches();
  }

  /**
   * The start time a backup id stands for, to the millisecond for new ids and to the second
   * for old ones; empty for anything else. Every reader of ids goes through here, so retention,
   * checks and planners accept both shapes.
   */
  public static java.util.Optional<Instant> backupTime(String id) {
    if (id == null) return java.util.Optional.empty();
    java.util.regex.Matcher m = BACKUP_ID.matcher(id);
    if (!m.matches()) return java.util.Optional.empty();
    try {
      Instant second = ID_FORMAT.parse(m.group(1), Instant::from);
      return java.util.Optional.of(m.group(2) == null ? second
          : second.plusMillis(Integer.parseInt(m.group(2))));
    } catch (java.time.format.DateTimeParseException e) {
      return java.util.Optional.empty(); // 20261399T..., the right shape but no date
    }
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

  /** Application backup ids also carry the commit: 20261121T030000Z-1a2b3c4d (old shape). */
  public static String appBackupId(long epochMillis, String commit) {
    return backupId(epochMillis) + commitSuffix(commit);
  }

  /** The unique shape with the commit: 20261121T030000Z.123-4f9a2c1d-1a2b3c4d. */
  public static String uniqueAppBackupId(long epochMillis, String runId, String commit) {
    return uniqueBackupId(epochMillis, runId) + commitSuffix(commit);
  }

  private static String commitSuffix(String commit) {
    String c = commit == null ? "" : commit.replaceAll("[^A-Za-z0-9]", "");
    return "-" + (c.isEmpty() ? "nocommit" : c.substring(0, Math.min(8, c.length())));
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
   * the years), so the run's start time keeps runs apart and sorts them: a backup-style id and
   * the millisecond, 20261121T020000Z-123 (reports stored before 2026-12-06 have the second
   * alone, and sort first within it). With the second alone, a run that ended within its first
   * second and the next run of the same workflow id shared a key, and the later report
   * replaced the earlier.
   */
  public static String reportKey(String prefix, String kind, String workflowId, long startedAt,
      String extension) {
    return reportsRoot(prefix) + kind + "/" + workflowId + "/" + backupId(startedAt) + "-"
        + String.format("%03d", Math.floorMod(startedAt, 1000L)) + "/report." + extension;
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

  /** A restore point's manifest ({@code lifeboat snapshot NAME}). */
  public static String pointKey(String prefix, String name) {
    return join(prefix, "points", name + ".json");
  }

  /** The last scheduled check's findings, so the next run notifies only on a change. */
  public static String latestCheckKey(String prefix) {
    return join(prefix, "reports", "check", "latest.json");
  }

  public static final String VERIFICATION_PREFIX = "verification-";

  public static final String BASE_TAR = "base.tar.zst";
  /** PostgreSQL's backup_manifest of a format-2 base backup (zstd). */
  public static final String BASE_BACKUP_MANIFEST = "backup_manifest.zst";
  public static final String META_SHA256 = "lifeboat-sha256";
  public static final String META_RAW_BYTES = "lifeboat-raw-bytes";
  /**
   * On WAL objects pushed since 2026-12-06: when the file's last byte was written (its
   * modification time in pg_wal, ISO-8601 with the file system's sub-second precision), the
   * point up to which the archive holds the cluster's history once this segment is stored.
   * S3's LastModified has whole seconds only, and is later than this anyway.
   */
  public static final String META_WRITTEN_AT = "lifeboat-written-at";

  public static String baseBackupsRoot(String prefix, String database) {
    return join(prefix, "db", database, "base") + "/";
  }

  public static String baseBackupDir(String prefix, String database, String backupId) {
    return baseBackupsRoot(prefix, database) + backupId + "/";
  }

  public static String baseTarKey(String prefix, String database, String backupId) {
    return baseBackupDir(prefix, database, backupId) + BASE_TAR;
  }

  public static String baseBackupManifestKey(String prefix, String database, String backupId) {
    return baseBackupDir(prefix, database, backupId) + BASE_BACKUP_MANIFEST;
  }

  public static String baseManifestKey(String prefix, String database, String backupId) {
    return baseBackupDir(prefix, database, backupId) + MANIFEST;
  }

  /** PREFIX/wal/DB/ */
  public static String walRoot(String prefix, String database) {
    return join(prefix, "wal", database) + "/";
  }

  /**
   * The key of a file PostgreSQL archives: segments (24 hex digits), their .partial and .backup
   * variants under the timeline's directory, timeline history files at the root.
   *
   * @throws IllegalArgumentException for any other name (nothing else is archived)
   */
  public static String walKey(String prefix, String database, String walFileName) {
    if (walFileName.matches("[0-9A-F]{8}\\.history")) {
      return walRoot(prefix, database) + walFileName + ".zst";
    }
    if (walFileName.matches("[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?")) {
      return walRoot(prefix, database) + walFileName.substring(0, 8) + "/" + walFileName + ".zst";
    }
    throw new IllegalArgumentException("not a WAL file name: '" + walFileName + "'");
  }

  /** The WAL file name a key under {@link #walRoot} stands for, or null for anything else. */
  public static String walFileName(String key) {
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    return name.endsWith(".zst") ? name.substring(0, name.length() - 4) : null;
  }

  private static String join(String prefix, String... parts) {
    String tail = String.join("/", parts);
    return prefix == null || prefix.isEmpty() ? tail : prefix + "/" + tail;
  }
}
