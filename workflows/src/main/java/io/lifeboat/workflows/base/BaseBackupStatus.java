package io.lifeboat.workflows.base;

import io.lifeboat.workflows.common.StepTiming;
import java.util.List;

/** @param expectedRawBytes the cluster's size, for a progress bar; 0 before assess */
public record BaseBackupStatus(String backupId, String database, String step,
    long expectedRawBytes, List<StepTiming> steps) {}
