package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A copy repository (the {@code offsite:} section or one of {@code repositories:}) as the copy,
 * verification, retention and listing code use it, whatever holds it: S3 ({@link
 * OffsiteBucket}), Google Cloud Storage or Azure Blob ({@link CloudCopyBucket}).
 */
public interface CopyBucket extends ObjectStore {

  /** The strictest lock on any version of an object: its mode and when it runs out. */
  record Lock(String mode, Instant retainUntil, boolean legalHold) {
    /** "GOVERNANCE until 2026-11-23T04:59:52Z", "legal hold" (no date: until lifted). */
    public String describe() {
      if (retainUntil.equals(Instant.MAX)) return "legal hold";
      return (legalHold ? "legal hold, " : "") + mode + " until " + retainUntil;
    }
  }

  /** A client for the repository's type; the caller closes it. */
  static CopyBucket open(OffsiteConfig config, Secrets secrets) {
    if ("s3".equals(config.type())) return new OffsiteBucket(config, secrets);
    // The prefix is the callers' business (keys come in whole): the store needs none.
    return new CloudCopyBucket(config,
        (io.lifeboat.storage.CloudStore) StoreFactory.open(config.asRepository(""), secrets));
  }

  OffsiteConfig config();

  /** What the repository says about the configured lock (unavailable is not a failure). */
  LockStatus probeLock();

  /** Writes a whole object with user metadata, and the lock when it is enabled. */
  void put(String key, byte[] content, String contentType, Map<String, String> metadata,
      LockStatus lock);

  /** Starts a multipart upload whose object will carry the metadata (and the lock). */
  String startUpload(String key, String contentType, Map<String, String> metadata,
      LockStatus lock);

  /** The strictest lock over the object (every version of it), or empty. */
  Optional<Lock> lock(String key);

  /** When the object's lock runs out, or empty when it has none. */
  default Optional<Instant> lockedUntil(String key) {
    return lock(key).map(Lock::retainUntil);
  }

  /** Unfinished uploads started before the instant (left by a crashed attempt). */
  int abortUploadsStartedBefore(String prefix, Instant before);

  /** Makes the key read as absent while locked data stays (a delete marker on S3). */
  void hide(String key);

  /** Keys with their sizes under a prefix. */
  Map<String, Long> listSizes(String prefix);
}
