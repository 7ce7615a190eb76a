package io.lifeboat.backup.mariadb;

import io.lifeboat.config.RepositoryConfig;

public record MariaDbDiscardRequest(RepositoryConfig repository, String name, String backupId) {}
