package io.lifeboat.backup.dump;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param retentionWarning set when the backup is good but expiring old ones failed */
public record BackupResult(
    BackupManifest manifest,
    List<String> expiredBackupIds,
    String retentionWarning,
    List<StepTiming> steps) {}
