package io.lifeboat.verify;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.backup.dump.BackupManifest;

/** A committed database dump to check, by its manifest. */
public record DumpTarget(RepositoryConfig repository, BackupManifest manifest) {}
