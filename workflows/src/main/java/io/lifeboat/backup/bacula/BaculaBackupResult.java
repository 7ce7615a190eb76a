package io.lifeboat.backup.bacula;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param restore null when bacula[].restoreWhere is not set (no restore check) */
public record BaculaBackupResult(String source, BaculaJob job, BaculaRestoreCheck restore,
    String reportKey, List<StepTiming> steps) {}
