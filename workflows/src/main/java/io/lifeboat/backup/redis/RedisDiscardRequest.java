package io.lifeboat.backup.redis;

import io.lifeboat.config.RepositoryConfig;

public record RedisDiscardRequest(RepositoryConfig repository, String name, String backupId) {}
