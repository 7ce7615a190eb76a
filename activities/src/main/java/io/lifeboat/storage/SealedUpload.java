package io.lifeboat.storage;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object written the way Lifeboat stores everything: zstd (frame checksums on), then the
 * repository's cipher, then a multipart upload through a {@link PartUploader}.
 *
 * <p>Retry contract: either {@link #commit()} completes the upload, or {@link #close()} stops
 * the parts in flight and aborts it, so a failed attempt leaves no object under the key and a
 * retried attempt simply starts a new upload of the same key. A worker killed mid-upload
 * leaves an unfinished multipart upload, never an object: the caller's cleanup of its prefix
 * (or the bucket's lifecycle rule) aborts it.
 */
public final class SealedUpload implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SealedUpload.class);
  private static final int CHUNK = 1 << 20;

  private final ObjectStore store;
  private final String key;
  private final String uploadId;
  private final PartUploader sink;
  private final ZstdOutputStream zstd;
  private boolean committed;

  private SealedUpload(ObjectStore store, String key, String uploadId, PartUploader sink,
      ZstdOutputStream zstd) {
    this.store = store;
    this.key = key;
    this.uploadId = uploadId;
    this.sink = sink;
    this.zstd = zstd;
  }

  /** Starts the multipart upload of {@code key}; write the plain bytes to {@link #out()}. */
  public static SealedUpload start(ObjectStore store, RepositoryCipher cipher,
      RepositoryConfig repo, CompressionConfig compression, String key, Runnable beat)
      throws IOException {
    String uploadId = store.startUpload(key);
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    try {
      ZstdOutputStream zstd = new ZstdOutputStream(cipher.seal(sink, key));
      zstd.setLevel(compression.level());
      zstd.setWorkers(compression.workers());
      zstd.setChecksum(true);
      return new SealedUpload(store, key, uploadId, sink, zstd);
    } catch (IOException | RuntimeException e) {
      abort(store, key, uploadId, sink);
      throw e;
    }
  }

  /** A local file stored whole under {@code key}; {@code beat} runs after every chunk. */
  public static PartUploader file(ObjectStore store, RepositoryCipher cipher,
      RepositoryConfig repo, CompressionConfig compression, String key, Path file,
      Runnable beat) throws IOException {
    try (SealedUpload up = start(store, cipher, repo, compression, key, beat);
         InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = in.read(buf)) > 0) {
        up.out().write(buf, 0, n);
        beat.run();
      }
      return up.commit();
    }
  }

  /** Where the plain bytes go. */
  public OutputStream out() {
    return zstd;
  }

  /** Flushes the last frame and completes the upload; the sink holds size and SHA-256. */
  public PartUploader commit() throws IOException {
    zstd.close();
    store.completeUpload(key, uploadId, sink.finish());
    committed = true;
    return sink;
  }

  /** Aborts the upload unless it was committed. */
  @Override
  public void close() {
    if (!committed) abort(store, key, uploadId, sink);
  }

  private static void abort(ObjectStore store, String key, String uploadId, PartUploader sink) {
    sink.cancel();
    try {
      store.abortUpload(key, uploadId);
    } catch (RuntimeException e) {
      log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
    }
  }
}
