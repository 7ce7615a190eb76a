package io.lifeboat.backup.base;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;

/** @param nowMillis workflow time, so a replay expires the same set */
public record BaseRetentionRequest(RepositoryConfig repository, String database, WalConfig wal,
    long nowMillis) {}
