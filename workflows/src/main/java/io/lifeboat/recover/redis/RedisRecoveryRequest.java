package io.lifeboat.recover.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param backupId the backup to restore; null: the newest committed one */
public record RedisRecoveryRequest(RedisConfig redis, RepositoryConfig repository,
    String backupId, RetryConfig retry) {
  public RedisRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
