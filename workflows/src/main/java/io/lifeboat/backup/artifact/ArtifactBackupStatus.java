package io.lifeboat.backup.artifact;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record ArtifactBackupStatus(String backupId, String subject, String step, List<StepTiming> steps) {}
