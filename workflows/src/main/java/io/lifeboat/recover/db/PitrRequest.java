package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;

/** One step of a point-in-time recovery: which backup, to which target, in which directories. */
public record PitrRequest(
    DatabaseConfig database, RepositoryConfig repository, RecoveryPlan plan,
    RecoveryTarget target, ScratchCluster cluster, String recoveryId) {}
