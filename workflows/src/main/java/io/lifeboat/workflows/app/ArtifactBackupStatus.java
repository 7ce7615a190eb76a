package io.lifeboat.workflows.app;

import io.lifeboat.workflows.common.StepTiming;
import java.util.List;

public record ArtifactBackupStatus(String backupId, String subject, String step, List<StepTiming> steps) {}
