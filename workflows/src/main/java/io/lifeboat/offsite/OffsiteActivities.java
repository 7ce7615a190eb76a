package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.temporal.activity.ActivityInterface;

/**
 * What the offsite copy does to the world. Every method is idempotent: objects already in the
 * offsite bucket with the same SHA-256 are skipped, so a retry (or the next run after an outage)
 * copies only what is still missing. Activity types carry the prefix "Offsite" (OffsiteCopy,
 * OffsiteVerify...): the worker registers every interface on one queue, where a bare "Verify"
 * or "ApplyRetention" is taken already.
 */
@ActivityInterface(namePrefix = "Offsite")
public interface OffsiteActivities {

  /**
   * Asks the offsite bucket for its Object Lock configuration. Never fails for a server without
   * Object Lock (s3proxy): that is {@link LockStatus#UNAVAILABLE}. Fails for a bucket that cannot
   * be reached or credentials it refuses.
   */
  LockStatus probeLock(OffsiteConfig offsite);

  /**
   * Streams every committed object under the scope that the offsite lacks (multipart for big
   * ones), data first and each manifest last, with the copied object's SHA-256 as metadata.
   * Heartbeats {@link CopyProgress}.
   */
  CopyResult copy(CopyRequest request);

  /** Re-reads objects from the offsite bucket and compares their SHA-256. Heartbeats. */
  VerifyCopyResult verify(VerifyCopyRequest request);

  /** The offsite retention: manifest first, the newest backup of a source never. */
  OffsiteRetentionResult applyRetention(OffsiteRetentionRequest request);

  /** Writes the run's record beside the copies ({@code PREFIX/offsite-copies/...}). */
  void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record);
}
