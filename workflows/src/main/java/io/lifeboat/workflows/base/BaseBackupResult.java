package io.lifeboat.workflows.base;

import io.lifeboat.workflows.common.StepTiming;
import java.util.List;

/** @param retentionWarning set when the backup is good but expiring old ones failed */
public record BaseBackupResult(
    BaseBackupManifest manifest,
    BaseRetentionResult retention,
    String retentionWarning,
    List<StepTiming> steps) {}
