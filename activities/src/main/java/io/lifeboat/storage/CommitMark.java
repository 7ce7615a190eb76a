package io.lifeboat.storage;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * A backup's commit mark, its manifest: written once, never over another one. Backup ids are
 * unique per run, so an existing manifest under this run's id is either this very commit again
 * (the activity was retried after its write landed: the same bytes, a no-op) or another
 * backup's, which is refused with {@link FailureKind#BACKUP_ID_TAKEN} and left as it is. A
 * committed backup is never overwritten, whatever produced the clash.
 */
public final class CommitMark {
  private CommitMark() {}

  /**
   * Before the first byte of a backup is written: its directory must not hold a committed
   * backup. Ids are unique per run, so this only ever trips on a clash nothing else caught; the
   * upload would otherwise replace the committed backup's data under its manifest. Safe for
   * an activity's retries: the run's own manifest is written only after its upload.
   *
   * @throws io.temporal.failure.ApplicationFailure BACKUP_ID_TAKEN
   */
  public static void requireUncommitted(ObjectStore store, String objectKey) {
    String manifest = objectKey.substring(0, objectKey.lastIndexOf('/') + 1)
        + io.lifeboat.repository.RepositoryLayout.MANIFEST;
    if (store.exists(manifest)) {
      throw FailureKind.BACKUP_ID_TAKEN.failure("refusing to write " + objectKey + ": "
          + manifest + " is already committed there; nothing was written");
    }
  }

  /**
   * Before anything else of the commit is written (a local copy of the manifest): true when this
   * exact manifest is already committed (a retry), false when there is none.
   *
   * @throws io.temporal.failure.ApplicationFailure BACKUP_ID_TAKEN for another backup's manifest
   */
  public static boolean alreadyCommitted(ObjectStore store, String key, byte[] body) {
    if (!store.exists(key)) return false;
    requireSame(store, key, body);
    return true;
  }

  /**
   * Writes the manifest with a conditional put (If-None-Match: *), so two commits racing for one
   * key cannot both succeed.
   *
   * @throws io.temporal.failure.ApplicationFailure BACKUP_ID_TAKEN for another backup's manifest
   */
  public static void write(ObjectStore store, String key, byte[] body) {
    if (!store.putIfAbsent(key, body, "application/json", Map.of())) {
      requireSame(store, key, body);
    }
  }

  /**
   * The whole commit of a backup whose data is one object (or one object naming the others):
   * refused when that object is not in the repository (nothing to commit to), a no-op when this
   * exact manifest is already there (a retry), else the conditional write.
   *
   * @param objectNoun what the object is, for the refusal ("dump", "snapshot", "file list")
   * @throws io.temporal.failure.ApplicationFailure BACKUP_NOT_FOUND, BACKUP_ID_TAKEN
   */
  public static void commitAfter(ObjectStore store, String key, Object manifest,
      com.fasterxml.jackson.databind.ObjectMapper json, String objectKey, String objectNoun) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (!store.exists(objectKey)) {
      throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key + ": its "
          + objectNoun + " is not in the repository");
    }
    if (!alreadyCommitted(store, key, body)) write(store, key, body);
  }

  private static void requireSame(ObjectStore store, String key, byte[] body) {
    byte[] there;
    try (InputStream in = store.get(key)) {
      there = in.readAllBytes();
    } catch (IOException e) {
      throw new StorageException(FailureKind.S3_UNAVAILABLE, "cannot read " + key + ": " + e, e);
    }
    if (!Arrays.equals(there, body)) {
      throw FailureKind.BACKUP_ID_TAKEN.failure("refusing to commit " + key
          + ": a different backup is already committed there; it was not overwritten");
    }
  }
}
