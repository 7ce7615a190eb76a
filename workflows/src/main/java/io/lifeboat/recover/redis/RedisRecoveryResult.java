package io.lifeboat.recover.redis;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record RedisRecoveryResult(String name, String backupId, long expectedKeys, long keys,
    boolean appendonly, String keptPath, List<StepTiming> steps) {}
