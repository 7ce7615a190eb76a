package io.lifeboat.verify;

import java.util.List;

/**
 * The verification of the newest backup of one source.
 *
 * @param backupId null when the source has no committed backup at all
 * @param failureType the FailureKind type of the first failed check, or null when passed
 * @param recordKey where the verification record was stored, or null if it could not be
 */
public record VerificationResult(
    String kind,
    String source,
    String backupId,
    boolean passed,
    String failureType,
    String message,
    List<CheckOutcome> checks,
    String recordKey,
    long startedAtMillis,
    long finishedAtMillis) {

  public VerificationResult {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }
}
