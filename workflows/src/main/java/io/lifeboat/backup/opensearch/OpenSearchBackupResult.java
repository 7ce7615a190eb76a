package io.lifeboat.backup.opensearch;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record OpenSearchBackupResult(OpenSearchManifest manifest, List<String> expiredBackupIds,
    String retentionWarning, List<StepTiming> steps) {}
