package io.lifeboat.backup.base;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;

/**
 * Everything a base backup needs, resolved from the config when the run was started.
 *
 * @param retentionKeep GFS keeps of {@code retention.keep} on top of the base backups' count
 *     and days; null: those alone (requests and schedules made before, or the setting absent)
 * @param retentionZone {@code schedules.timezone}, the zone of the GFS periods; null: UTC
 */
public record BaseBackupRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    WalConfig wal,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications) {

  public BaseBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    wal = wal != null ? wal : WalConfig.DEFAULT;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public BaseBackupRequest(DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    WalConfig wal,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone) {
    this(database, repository, compression, wal, retry, offsite, retentionKeep, retentionZone, null);
  }

  /** Without GFS keeps: the shape before {@code retention.keep} reached base backups. */
  public BaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, WalConfig wal, RetryConfig retry,
      io.lifeboat.offsite.OffsiteTarget offsite) {
    this(database, repository, compression, wal, retry, offsite, null, null);
  }

  /** Without an offsite copy: the shape before issue #8. */
  public BaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, WalConfig wal, RetryConfig retry) {
    this(database, repository, compression, wal, retry, null);
  }
}
