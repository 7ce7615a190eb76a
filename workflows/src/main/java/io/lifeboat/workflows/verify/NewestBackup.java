package io.lifeboat.workflows.verify;

import io.lifeboat.workflows.backup.BackupManifest;

/** @param manifest the newest committed backup's manifest, or null when there is none */
public record NewestBackup(BackupManifest manifest) {}
