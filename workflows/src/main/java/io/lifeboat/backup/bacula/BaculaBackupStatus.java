package io.lifeboat.backup.bacula;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param jobId Bacula's JobId once the job is started; 0 before */
public record BaculaBackupStatus(String source, String step, long jobId, List<StepTiming> steps) {}
