package io.lifeboat.backup.app;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * @param reason why it runs: schedule, manual, deployment (recorded in the manifest)
 * @param retentionKeep GFS keeps of {@code retention.keep} on top of {@code keep}; null: the
 *     count alone (requests and schedules made before, or the setting absent)
 * @param retentionZone {@code schedules.timezone}, the zone of the GFS periods; null: UTC
 */
public record ApplicationBackupRequest(
    ApplicationConfig application, RepositoryConfig repository, RetryConfig retry, String reason,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications) {

  public ApplicationBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public ApplicationBackupRequest(ApplicationConfig application, RepositoryConfig repository, RetryConfig retry, String reason,
    io.lifeboat.offsite.OffsiteTarget offsite,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep,
    String retentionZone) {
    this(application, repository, retry, reason, offsite, retentionKeep, retentionZone, null);
  }

  /** Without GFS keeps: the shape before {@code retention.keep} reached application backups. */
  public ApplicationBackupRequest(ApplicationConfig application, RepositoryConfig repository,
      RetryConfig retry, String reason, io.lifeboat.offsite.OffsiteTarget offsite) {
    this(application, repository, retry, reason, offsite, null, null);
  }

  /** Without an offsite copy: the shape before issue #8. */
  public ApplicationBackupRequest(ApplicationConfig application, RepositoryConfig repository,
      RetryConfig retry, String reason) {
    this(application, repository, retry, reason, null);
  }
}
