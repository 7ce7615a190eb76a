package io.lifeboat.backup.mariadb;

import io.lifeboat.config.RepositoryConfig;

/**
 * @param nowMillis workflow time, so a replay expires the same set
 * @param keep GFS keeps of {@code retention.keep} on top of the age; null: age alone
 * @param timezone the zone of the GFS periods ({@code schedules.timezone}); null: UTC
 */
public record MariaDbRetentionRequest(RepositoryConfig repository, String name,
    int retentionDays, long nowMillis, io.lifeboat.config.RetentionConfig.Keep keep,
    String timezone) {}
