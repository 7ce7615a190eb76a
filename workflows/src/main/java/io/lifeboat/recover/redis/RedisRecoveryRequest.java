package io.lifeboat.recover.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param notifications where started, finished and failed go (none: nothing is sent)
 */
public record RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository,
    String backupId, RetryConfig retry, NotificationTarget notifications) {
  public RedisRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** The shape before notifications. */
  public RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository, String backupId,
      RetryConfig retry) {
    this(redis, repository, backupId, retry, null);
  }
}
