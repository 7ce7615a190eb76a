package io.lifeboat.config;

/** The checks of the worker section (issue 21) and of {@code verification.parallel}. */
final class WorkerRules {
  static final int MAX_SLOTS = 1000;

  private WorkerRules() {}

  static void validate(String where, LifeboatConfig c) {
    WorkerConfig w = c.worker();
    range(where, "worker.activitySlots", w.activitySlots(), 1, MAX_SLOTS);
    range(where, "worker.workflowTaskSlots", w.workflowTaskSlots(), 2, MAX_SLOTS);
    range(where, "worker.bulkActivitySlots", w.bulkActivitySlots(), 1, MAX_SLOTS);
    range(where, "worker.workflowCacheSize", w.workflowCacheSize(), 1, 100_000);
    range(where, "verification.parallel", c.verification().parallel(), 1, 100);
  }

  private static void range(String where, String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(where + ": '" + key + "' must be between " + min + " and " + max
          + ", not " + value);
    }
  }
}
