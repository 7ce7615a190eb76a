package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;

public record PlanRequest(
    DatabaseConfig database, RepositoryConfig repository, RecoveryTarget target) {}
