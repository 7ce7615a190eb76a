package io.lifeboat.backup.redis;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * Everything a Redis backup needs, resolved from the config; secrets stay names.
 *
 * @param retentionKeep GFS keeps of {@code retention.keep} on top of {@code retentionDays};
 *     null: age alone (requests made before, or the setting absent)
 * @param retentionZone {@code schedules.timezone}, the zone of the GFS periods; null: UTC
 */
public record RedisBackupRequest(RedisConfig redis, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications) {
  public RedisBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public RedisBackupRequest(RedisConfig redis, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone) {
    this(redis, repository, compression, retentionDays, retry, retentionKeep, retentionZone, null);
  }

  /** Without GFS keeps: the shape before {@code retention.keep} reached Redis. */
  public RedisBackupRequest(RedisConfig redis, RepositoryConfig repository,
      CompressionConfig compression, int retentionDays, RetryConfig retry) {
    this(redis, repository, compression, retentionDays, retry, null, null);
  }
}
