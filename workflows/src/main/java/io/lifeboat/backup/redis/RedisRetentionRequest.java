package io.lifeboat.backup.redis;

import io.lifeboat.config.RepositoryConfig;

/** @param nowMillis workflow time, so a replay expires the same set */
public record RedisRetentionRequest(RepositoryConfig repository, String name, int retentionDays,
    long nowMillis) {}
