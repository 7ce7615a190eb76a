package io.lifeboat.offsite;

import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * What one offsite copy run did; the workflow's result, and stored in the offsite bucket under
 * {@code PREFIX/offsite-copies/} so the offsite copy describes itself too.
 *
 * @param objectLock {@link LockStatus#describe()}: "GOVERNANCE 30 days", "unavailable (...)", "off"
 * @param warnings what went wrong without failing the copy (retention)
 * @param walLagSeconds per database whose WAL the run copied: how far the offsite's newest
 *     segment is behind the primary's, listed after the copy (what
 *     {@code lifeboat_offsite_wal_lag_seconds} shows); empty in older records
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
    String workflowId,
    java.util.Map<String, Long> walLagSeconds) {

  public CopyRecord(String kind, String source, String startedAt, String finishedAt,
      String offsiteEndpoint, String offsiteBucket, String objectLock, int copied, int skipped,
      long bytesCopied, int verified, List<String> backupsCopied, List<String> expired,
      List<String> retentionSkipped, List<String> warnings, List<StepTiming> steps,
      String workflowId) {
    this(kind, source, startedAt, finishedAt, offsiteEndpoint, offsiteBucket, objectLock, copied,
        skipped, bytesCopied, verified, backupsCopied, expired, retentionSkipped, warnings, steps,
        workflowId, null);
  }

  public CopyRecord {
    walLagSeconds = walLagSeconds == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(walLagSeconds));
    backupsCopied = backupsCopied == null ? List.of() : List.copyOf(backupsCopied);
    expired = expired == null ? List.of() : List.copyOf(expired);
    retentionSkipped = retentionSkipped == null ? List.of() : List.copyOf(retentionSkipped);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
