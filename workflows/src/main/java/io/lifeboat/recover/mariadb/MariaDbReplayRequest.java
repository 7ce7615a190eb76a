package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;

/** @param targetMillis the point in time to recover to (UTC millis) */
public record MariaDbReplayRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    MariaDbManifest manifest, long targetMillis) {}
