package io.lifeboat.backup.redis;

import io.lifeboat.config.RepositoryConfig;

/**
 * @param nowMillis workflow time, so a replay expires the same set
 * @param keep GFS keeps on top of the age; null: age alone
 * @param timezone the zone of the GFS periods; null: UTC
 */
public record RedisRetentionRequest(RepositoryConfig repository, String name, int retentionDays,
    long nowMillis, io.lifeboat.config.RetentionConfig.Keep keep, String timezone) {
  /** Age alone: the shape before GFS keeps. */
  public RedisRetentionRequest(RepositoryConfig repository, String name, int retentionDays,
      long nowMillis) {
    this(repository, name, retentionDays, nowMillis, null, null);
  }
}
