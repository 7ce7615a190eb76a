package io.lifeboat.backup.config;

import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * @param retentionKeep GFS keeps of {@code retention.keep} on top of the count; null: the count
 *     alone (requests and schedules made before, or the setting absent)
 * @param retentionZone {@code schedules.timezone}, the zone of the GFS periods; null: UTC
 */
public record ConfigurationBackupRequest(
    String estate, ConfigurationBackupConfig configuration, RepositoryConfig repository,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications) {

  public ConfigurationBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public ConfigurationBackupRequest(String estate, ConfigurationBackupConfig configuration, RepositoryConfig repository,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone) {
    this(estate, configuration, repository, retry, offsite, retentionKeep, retentionZone, null);
  }

  /** Without GFS keeps: the shape before {@code retention.keep} reached configuration backups. */
  public ConfigurationBackupRequest(String estate, ConfigurationBackupConfig configuration,
      RepositoryConfig repository, RetryConfig retry, io.lifeboat.offsite.OffsiteTarget offsite) {
    this(estate, configuration, repository, retry, offsite, null, null);
  }

  /** Without an offsite copy: the shape before issue #8. */
  public ConfigurationBackupRequest(String estate, ConfigurationBackupConfig configuration,
      RepositoryConfig repository, RetryConfig retry) {
    this(estate, configuration, repository, retry, null);
  }
}
