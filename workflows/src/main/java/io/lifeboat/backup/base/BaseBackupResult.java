package io.lifeboat.backup.base;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param retentionWarning set when the backup is good but expiring old ones failed */
public record BaseBackupResult(
    BaseBackupManifest manifest,
    BaseRetentionResult retention,
    String retentionWarning,
    List<StepTiming> steps) {}
