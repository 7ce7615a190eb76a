package io.lifeboat.backup.mariadb;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record MariaDbBackupResult(MariaDbManifest manifest, List<String> expiredBackupIds,
    String retentionWarning, List<StepTiming> steps) {}
