package io.lifeboat.recover.opensearch;

import io.lifeboat.run.StepTiming;
import java.util.List;
import java.util.Map;

/** @param kept the replaced indices, kept as read-only clones (old name to kept name) */
public record OpenSearchRecoveryResult(String name, String backupId, Map<String, Long> expected,
    Map<String, Long> restored, Map<String, String> kept, List<StepTiming> steps,
    String report) {
  /** The shape before the report (runs recorded before it). */
  public OpenSearchRecoveryResult(String name, String backupId, Map<String, Long> expected,
      Map<String, Long> restored, Map<String, String> kept, List<StepTiming> steps) {
    this(name, backupId, expected, restored, kept, steps, null);
  }
}
