package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.backup.dump.BackupManifest;

/**
 * Restore a dump into {@code scratchDatabase} on the source's server and run its validation
 * queries there.
 */
public record RestoreCheckRequest(DatabaseConfig database, RepositoryConfig repository,
    BackupManifest manifest, String scratchDatabase) {}
