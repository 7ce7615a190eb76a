package io.lifeboat.backup.redis;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;

public record RedisSnapshotRequest(RedisConfig redis, RepositoryConfig repository,
    CompressionConfig compression, String backupId, String objectKey) {}
