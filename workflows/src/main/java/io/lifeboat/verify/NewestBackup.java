package io.lifeboat.verify;

import io.lifeboat.backup.dump.BackupManifest;

/** @param manifest the newest committed backup's manifest, or null when there is none */
public record NewestBackup(BackupManifest manifest) {}
