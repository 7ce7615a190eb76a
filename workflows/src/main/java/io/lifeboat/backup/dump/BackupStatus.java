package io.lifeboat.backup.dump;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** @param expectedRawBytes the database's size on disk, for a progress bar; 0 before assess */
public record BackupStatus(
    String backupId, String database, String step, long expectedRawBytes, List<StepTiming> steps) {}
