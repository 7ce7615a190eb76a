package io.lifeboat.backup.files;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record FilesBackupResult(FilesManifest manifest, String manifestKey, List<StepTiming> steps) {}
