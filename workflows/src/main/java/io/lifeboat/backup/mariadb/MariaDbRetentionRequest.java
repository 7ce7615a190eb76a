package io.lifeboat.backup.mariadb;

import io.lifeboat.config.RepositoryConfig;

/** @param nowMillis workflow time, so a replay expires the same set */
public record MariaDbRetentionRequest(RepositoryConfig repository, String name,
    int retentionDays, long nowMillis) {}
