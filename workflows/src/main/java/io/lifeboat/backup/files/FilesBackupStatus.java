package io.lifeboat.backup.files;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record FilesBackupStatus(String source, String step, List<StepTiming> steps) {}
