package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * Restore a full dump into a scratch database beside the damaged one.
 *
 * @param scratchDatabase created (or re-created on retry) by the activity; only renamed to the
 *     real name after verification
 */
public record DumpRestoreRequest(
    DatabaseConfig database, RepositoryConfig repository, RecoveryPlan plan,
    String scratchDatabase) {}
