package io.lifeboat.config;

/**
 * Continuous archiving and base backups (point-in-time recovery).
 *
 * @param baseSchedule cron of the base backups (the default is weekly: Sunday 03:00)
 * @param checkSchedule cron of the archive check (the seed's 6-hourly incremental cadence)
 * @param baseRetentionCount base backups always kept, whatever their age
 * @param baseRetentionDays older base backups beyond the count are removed, and with them the
 *     WAL that only they needed
 * @param compressionLevel zstd level of WAL segments (a segment is compressed on one core)
 * @param segmentSizeMb the clusters' wal_segment_size (initdb --wal-segsize); 16 by default
 * @param baseCompressionLevel zstd level of base backups: 1 by default, because a base backup
 *     is mostly table pages, which level 1 shrinks about as much as level 3 (90 vs 91 MB of a
 *     2 GB pgbench cluster) with a quarter less CPU (docs/benchmarks.md)
 * @param baseServerCompression true (the default): the server compresses the base backup
 *     (pg_basebackup --compress=server-zstd, PostgreSQL 15 or later; format 2, backup_manifest
 *     stored beside the tar); false, or an older server: the worker compresses the tar stream
 *     (format 1, backup_manifest inside the tar)
 */
public record WalConfig(
    String baseSchedule,
    String checkSchedule,
    Integer baseRetentionCount,
    Integer baseRetentionDays,
    Integer compressionLevel,
    Integer segmentSizeMb,
    Integer baseCompressionLevel,
    Boolean baseServerCompression) {
  public static final WalConfig DEFAULT =
      new WalConfig(null, null, null, null, null, null, null, null);

  public WalConfig {
    baseSchedule = baseSchedule != null ? baseSchedule : "0 3 * * 0";
    checkSchedule = checkSchedule != null ? checkSchedule : "0 */6 * * *";
    baseRetentionCount = baseRetentionCount != null ? baseRetentionCount : 2;
    baseRetentionDays = baseRetentionDays != null ? baseRetentionDays : 35;
    compressionLevel = compressionLevel != null ? compressionLevel : 3;
    segmentSizeMb = segmentSizeMb != null ? segmentSizeMb : 16;
    baseCompressionLevel = baseCompressionLevel != null ? baseCompressionLevel : 1;
    baseServerCompression = baseServerCompression != null ? baseServerCompression : true;
  }

  public long segmentSizeBytes() {
    return segmentSizeMb * 1024L * 1024L;
  }
}
