package io.lifeboat.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tail of the backup stream: hashes and counts every stored byte, cuts it into parts and
 * uploads them on one background thread, at most two parts in flight, so memory stays at
 * about three parts whatever the database's size. Optionally tees into a local copy and caps
 * the upload rate.
 */
public final class PartUploader extends OutputStream {
  private static final int IN_FLIGHT = 2;
  private static final long WAIT_SLICE_MILLIS = 200;

  private final ObjectStore store;
  private final String key;
  private final String uploadId;
  private final int partSize;
  private final long bytesPerSecond;
  private final OutputStream localCopy;
  private final MessageDigest sha256;
  private final ExecutorService sender;
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final List<String> etags = new ArrayList<>();
  private final List<Integer> partsDone = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final long startedNanos = System.nanoTime();
  private final Runnable whileWaiting;

  private byte[] buffer;
  private int filled;
  private int nextPart = 1;
  private long stored;
  private long queuedBytes;

  /**
   * @param whileWaiting called every fraction of a second while the stream waits for parts to
   *     upload (back-pressure, and the tail after the last byte): the caller heartbeats there,
   *     or a slow link would look like a dead worker
   */
  public PartUploader(ObjectStore store, String key, String uploadId, int partSize,
      long bytesPerSecond, OutputStream localCopy, Runnable whileWaiting) {
    this.whileWaiting = whileWaiting;
    this.store = store;
    this.key = key;
    this.uploadId = uploadId;
    this.partSize = partSize;
    this.bytesPerSecond = bytesPerSecond;
    this.localCopy = localCopy;
    this.buffer = new byte[partSize];
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "part-upload-" + key.hashCode());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    rethrow();
    sha256.update(b, off, len);
    if (localCopy != null) localCopy.write(b, off, len);
    stored += len;
    while (len > 0) {
      int n = Math.min(len, partSize - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == partSize) sendBuffer();
    }
  }

  /** Zstd closes its sink when it closes; the upload is finished by {@link #finish()} only. */
  @Override
  public void close() {}

  /** Sends the last part, waits for all, and returns the ETags in part order. */
  public List<String> finish() throws IOException {
    if (filled > 0 || nextPart == 1) sendBuffer();
    sender.shutdown();
    try {
      while (!slots.tryAcquire(IN_FLIGHT, WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
        whileWaiting.run();
      }
      slots.release(IN_FLIGHT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while finishing the upload", e);
    }
    rethrow();
    if (localCopy != null) localCopy.flush();
    synchronized (etags) {
      return List.copyOf(etags);
    }
  }

  /** Stops sending; parts in flight may still land, and the caller aborts the upload. */
  public void cancel() {
    sender.shutdownNow();
  }

  public long storedBytes() {
    return stored;
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  public List<Integer> partsDone() {
    synchronized (etags) {
      return List.copyOf(partsDone);
    }
  }

  private void sendBuffer() throws IOException {
    final byte[] data = buffer;
    final int length = filled;
    final int part = nextPart++;
    synchronized (etags) {
      etags.add(null);
    }
    queuedBytes += length;
    final long mustNotFinishBefore = bytesPerSecond <= 0 ? 0
        : startedNanos + (long) (queuedBytes * 1e9 / bytesPerSecond);
    try {
      while (!slots.tryAcquire(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
        whileWaiting.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading", e);
    }
    sender.execute(() -> {
      try {
        if (failure.get() != null) return;
        String etag = store.uploadPart(key, uploadId, part, data, length);
        long wait = mustNotFinishBefore - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        synchronized (etags) {
          etags.set(part - 1, etag);
          partsDone.add(part);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        slots.release();
      }
    });
    buffer = new byte[partSize];
    filled = 0;
    rethrow();
  }

  private void rethrow() throws IOException {
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) throw re;
    if (t instanceof IOException io) throw io;
    if (t != null) throw new IOException(t);
  }
}
