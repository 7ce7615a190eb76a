package io.lifeboat.backup.redis;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record RedisBackupResult(RedisManifest manifest, List<String> expiredBackupIds,
    String retentionWarning, List<StepTiming> steps) {}
