package io.lifeboat.recover.db;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads at most so many bytes a second, counting what was read. One throttle may be shared by
 * several streams (the WAL feeder's parallel downloads) so the cap holds for the recovery.
 */
final class Throttle {
  private final long bytesPerSecond;
  private final long started = System.nanoTime();
  private final AtomicLong total = new AtomicLong();

  /** @param mbPerSecond 0 for no cap */
  Throttle(int mbPerSecond) {
    this.bytesPerSecond = mbPerSecond * 1024L * 1024L;
  }

  long bytes() {
    return total.get();
  }

  InputStream wrap(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, bytesPerSecond > 0 ? Math.min(len, 64 * 1024) : len);
        if (n > 0) pace(total.addAndGet(n));
        return n;
      }
    };
  }

  /** Counts bytes moved by someone else (a whole WAL object) and waits as the cap requires. */
  void account(long n) throws IOException {
    if (n > 0) pace(total.addAndGet(n));
  }

  private void pace(long soFar) throws IOException {
    if (bytesPerSecond <= 0) return;
    long dueNanos = soFar * 1_000_000_000L / bytesPerSecond;
    long ahead = dueNanos - (System.nanoTime() - started);
    if (ahead > 0) {
      try {
        Thread.sleep(ahead / 1_000_000L, (int) (ahead % 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("throttled read interrupted");
      }
    }
  }
}
