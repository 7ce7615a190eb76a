package io.lifeboat.backup.base;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload of a base backup's stored object while both stream formats run: the multipart
 * upload, its part uploader, and the heartbeat that reports the phase, the raw bytes read and
 * the bytes stored. It is completed only after the verification passed; otherwise it is
 * aborted, so a backup that fails verification is never a finished object and leaves no parts.
 */
final class BaseUpload {
  private static final Logger log = LoggerFactory.getLogger(BaseUpload.class);

  final String key;
  final String uploadId;
  final PartUploader sink;
  /** Raw (uncompressed) bytes of the backup read so far. */
  final AtomicLong raw = new AtomicLong();
  private final ObjectStore store;
  private final Runnable beat;
  private volatile String phase = "streaming";
  private boolean completed;

  BaseUpload(ObjectStore store, RepositoryConfig repo, String key, ActivityExecutionContext ctx) {
    this.store = store;
    this.key = key;
    String id = store.startUpload(key);
    this.uploadId = id;
    PartUploader[] self = new PartUploader[1];
    // Called from the stream's thread and from its helper threads while they run.
    this.beat = () -> ctx.heartbeat(new BaseStreamProgress(key, id, phase, raw.get(),
        self[0] == null ? 0 : self[0].storedBytes()));
    beat.run();
    this.sink = new PartUploader(store, key, id, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    self[0] = sink;
  }

  /** The heartbeat: safe to call from any thread. */
  Runnable beat() {
    return beat;
  }

  /** The verification of the unpacked copy (it throws when the backup fails it). */
  interface Verification {
    BaseBackupVerification.Facts run() throws IOException, InterruptedException;
  }

  /** What {@link #completeAfter} learnt, and when its two waits ended (for the timing log). */
  record Verified(BaseBackupVerification.Facts facts, long verifiedAt, long uploadedAt) {}

  /**
   * The end of both formats: the heartbeat says "verifying", the verification runs while the
   * upload's last parts go up ({@code tail}), and only when it passed and the tail is done is
   * the upload completed. A failure of either leaves the upload open for
   * {@link #abortUnlessCompleted}.
   */
  Verified completeAfter(Verification verification, Future<List<String>> tail)
      throws IOException, InterruptedException {
    phase = "verifying";
    beat.run();
    BaseBackupVerification.Facts facts = verification.run();
    long verified = System.currentTimeMillis();
    List<String> etags = HelperThreads.await(tail, beat);
    long uploaded = System.currentTimeMillis();
    store.completeUpload(key, uploadId, etags);
    completed = true;
    return new Verified(facts, verified, uploaded);
  }

  /**
   * After a failure (anything before {@link #complete}): stops the part uploader and aborts the
   * upload. A failure to abort is logged; the failure that got here is the one that counts.
   */
  void abortUnlessCompleted() {
    if (completed) return;
    sink.cancel();
    try {
      store.abortUpload(key, uploadId);
    } catch (RuntimeException e) {
      log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
    }
  }

  boolean completed() {
    return completed;
  }
}
