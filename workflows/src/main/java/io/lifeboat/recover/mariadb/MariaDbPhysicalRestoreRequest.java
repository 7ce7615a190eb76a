package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * @param runKey names the restored and the kept directories, unique per run
 * @param startedAt the run's start (UTC millis, from the workflow): the kept directory's time
 * @param targetMillis the --to target, or null
 */
public record MariaDbPhysicalRestoreRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    MariaDbManifest manifest, String runKey, long startedAt, Long targetMillis) {}
