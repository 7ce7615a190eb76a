package io.lifeboat.offsite;

import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * What one offsite copy run did; the workflow's result, and stored in the offsite bucket under
 * {@code PREFIX/offsite-copies/} so the offsite copy describes itself too.
 *
 * @param objectLock {@link LockStatus#describe()}: "GOVERNANCE 30 days", "unavailable (...)", "off"
 * @param warnings what went wrong without failing the copy (retention)
 */
public record CopyRecord(
    String kind,
    String source,
    String startedAt,
    String finishedAt,
    String offsiteEndpoint,
    String offsiteBucket,
    String objectLock,
    int copied,
    int skipped,
    long bytesCopied,
    int verified,
    List<String> backupsCopied,
    List<String> expired,
    List<String> retentionSkipped,
    List<String> warnings,
    List<StepTiming> steps,
    String workflowId) {

  public CopyRecord {
    backupsCopied = backupsCopied == null ? List.of() : List.copyOf(backupsCopied);
    expired = expired == null ? List.of() : List.copyOf(expired);
    retentionSkipped = retentionSkipped == null ? List.of() : List.copyOf(retentionSkipped);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
