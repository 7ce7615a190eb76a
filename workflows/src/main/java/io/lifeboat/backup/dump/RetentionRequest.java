package io.lifeboat.backup.dump;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;

/**
 * @param nowMillis workflow time, so a replay expires the same set
 * @param keep GFS keeps on top of {@code retentionDays}; null: age only (as before they existed)
 * @param timezone the zone of the GFS periods ({@code schedules.timezone}); null: UTC
 */
public record RetentionRequest(RepositoryConfig repository, String database, int retentionDays,
    long nowMillis, RetentionConfig.Keep keep, String timezone) {

  /** Age only: the shape before GFS keeps. */
  public RetentionRequest(RepositoryConfig repository, String database, int retentionDays,
      long nowMillis) {
    this(repository, database, retentionDays, nowMillis, null, null);
  }
}
