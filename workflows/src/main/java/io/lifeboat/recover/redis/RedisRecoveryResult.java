package io.lifeboat.recover.redis;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record RedisRecoveryResult(String name, String backupId, long expectedKeys, long keys,
    boolean appendonly, String keptPath, List<StepTiming> steps, String report) {
  /** The shape before the report (runs recorded before it). */
  public RedisRecoveryResult(String name, String backupId, long expectedKeys, long keys,
      boolean appendonly, String keptPath, List<StepTiming> steps) {
    this(name, backupId, expectedKeys, keys, appendonly, keptPath, steps, null);
  }
}
