package io.lifeboat.backup.base;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;

/**
 * @param label the backup label PostgreSQL records (backup_label, pg_stat_progress_basebackup)
 * @param clusterBytes the cluster's size as assessed (0 when unknown): decides whether the
 *     scratch copy for pg_verifybackup fits in memory (tmpfs)
 */
public record BaseStreamRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    WalConfig wal,
    String backupId,
    String objectKey,
    String label,
    long clusterBytes) {}
