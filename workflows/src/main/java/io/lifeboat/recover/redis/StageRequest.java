package io.lifeboat.recover.redis;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;

/** @param runKey names the staged file and the kept old one, unique per run */
public record StageRequest(RedisConfig redis, RepositoryConfig repository,
    RedisManifest manifest, String runKey) {}
