package io.lifeboat.workflows.verify;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.workflows.backup.BackupManifest;

/** A committed database dump to check, by its manifest. */
public record DumpTarget(RepositoryConfig repository, BackupManifest manifest) {}
