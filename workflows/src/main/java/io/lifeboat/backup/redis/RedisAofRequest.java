package io.lifeboat.backup.redis;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;

/** Copy the server's AOF directory (on its host) into {@code objectKey}. */
public record RedisAofRequest(RedisConfig redis, RepositoryConfig repository,
    CompressionConfig compression, String backupId, String objectKey) {}
