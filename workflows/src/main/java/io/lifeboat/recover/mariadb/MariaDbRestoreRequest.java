package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;

/** @param runKey names the kept databases, unique per run */
public record MariaDbRestoreRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    MariaDbManifest manifest, String runKey) {}
