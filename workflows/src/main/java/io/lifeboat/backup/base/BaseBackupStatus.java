package io.lifeboat.backup.base;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param expectedRawBytes the cluster's size, for a progress bar; 0 before assess */
public record BaseBackupStatus(String backupId, String database, String step,
    long expectedRawBytes, List<StepTiming> steps) {}
