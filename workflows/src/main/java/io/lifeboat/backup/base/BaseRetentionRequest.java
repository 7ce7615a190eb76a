package io.lifeboat.backup.base;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.config.WalConfig;

/**
 * @param nowMillis workflow time, so a replay expires the same set
 * @param keep GFS keeps of {@code retention.keep} on top of {@code wal.baseRetentionCount} and
 *     {@code wal.baseRetentionDays}; null: those alone (as before GFS reached base backups)
 * @param timezone the zone of the GFS periods ({@code schedules.timezone}); null: UTC
 */
public record BaseRetentionRequest(RepositoryConfig repository, String database, WalConfig wal,
    long nowMillis, RetentionConfig.Keep keep, String timezone) {

  /** Without GFS keeps: the shape before them. */
  public BaseRetentionRequest(RepositoryConfig repository, String database, WalConfig wal,
      long nowMillis) {
    this(repository, database, wal, nowMillis, null, null);
  }
}
