package io.lifeboat.recover.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param notifications where started, finished and failed go (none: nothing is sent)
 * @param timing the RTO, estate and offsite the run is timed and reported with; null (an older
 *     CLI): no clock and no report, as before
 * @param fromAof place the backup's AOF directory and start with appendonly yes, instead of
 *     the RDB (false in requests made before the AOF artifact)
 */
public record RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository,
    String backupId, RetryConfig retry, NotificationTarget notifications,
    io.lifeboat.run.RecoveryTiming timing, boolean fromAof) {
  public RedisRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** The RDB path (the shape before the AOF artifact). */
  public RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository, String backupId,
      RetryConfig retry, NotificationTarget notifications, io.lifeboat.run.RecoveryTiming timing) {
    this(redis, repository, backupId, retry, notifications, timing, false);
  }

  /** The shape before notifications. */
  public RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository, String backupId,
      RetryConfig retry) {
    this(redis, repository, backupId, retry, null, null);
  }

  /** The shape before the RTO clock. */
  public RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository, String backupId,
      RetryConfig retry, NotificationTarget notifications) {
    this(redis, repository, backupId, retry, notifications, null);
  }
}
