package io.lifeboat.verify;

import java.util.List;

/**
 * What is stored beside a backup after each verification, as
 * {@code verification-<time>.json}. The manifest stays untouched: it is the commit mark and its
 * checksum must not depend on later events.
 */
public record VerificationRecord(
    int formatVersion,
    String kind,
    String source,
    String backupId,
    String verifiedAt,
    boolean passed,
    String failureType,
    String message,
    List<CheckOutcome> checks,
    String workflowId) {

  public static final int FORMAT_VERSION = 1;
}
