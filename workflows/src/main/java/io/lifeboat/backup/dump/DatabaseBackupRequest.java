package io.lifeboat.backup.dump;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * Everything the backup needs, resolved from the config when the run (or the schedule) was
 * created. Secrets stay names of environment variables.
 *
 * @param retentionKeep GFS keeps of {@code retention.keep}; null (requests and schedules made
 *     before it existed, or the setting absent): age only
 * @param retentionZone {@code schedules.timezone}, the zone of the GFS periods; null: UTC
 */
public record DatabaseBackupRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    int retentionDays,
    RetryConfig retry,
    io.lifeboat.notify.NotificationTarget notifications,
    io.lifeboat.config.OffsiteConfig offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone) {

  public DatabaseBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
  }

  /** Without GFS keeps: the shape before {@code retention.keep}. */
  public DatabaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, int retentionDays, RetryConfig retry,
      io.lifeboat.notify.NotificationTarget notifications,
      io.lifeboat.config.OffsiteConfig offsite) {
    this(database, repository, compression, retentionDays, retry, notifications, offsite, null,
        null);
  }

  /** Without notifications: the shape before issue #7, kept for tests and old callers. */
  public DatabaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, int retentionDays, RetryConfig retry) {
    this(database, repository, compression, retentionDays, retry, null, null);
  }

  /** Without an offsite copy: the shape before issue #8. */
  public DatabaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, int retentionDays, RetryConfig retry,
      io.lifeboat.notify.NotificationTarget notifications) {
    this(database, repository, compression, retentionDays, retry, notifications, null);
  }
}
