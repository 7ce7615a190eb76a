package io.lifeboat.workflows.backup;

import io.lifeboat.config.RepositoryConfig;

/** @param nowMillis workflow time, so a replay expires the same set */
public record RetentionRequest(
    RepositoryConfig repository, String database, int retentionDays, long nowMillis) {}
