package io.lifeboat.backup.redis;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** Everything a Redis backup needs, resolved from the config; secrets stay names. */
public record RedisBackupRequest(RedisConfig redis, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry) {
  public RedisBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
