package io.lifeboat.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a child's stderr on its own thread and keeps the last few KiB: enough to explain a
 * failure in one line, without letting a chatty tool fill memory or block on a full pipe.
 */
public final class StderrTail implements AutoCloseable {
  private static final int KEEP = 8 * 1024;
  private final byte[] ring = new byte[KEEP];
  private long written;
  private final Thread reader;

  public StderrTail(InputStream stderr, String name) {
    reader = new Thread(() -> {
      byte[] buf = new byte[4096];
      try (stderr) {
        int n;
        while ((n = stderr.read(buf)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (written++ % KEEP)] = buf[i];
            }
          }
        }
      } catch (IOException ignored) {
        // the process went away; what we have is the tail
      }
    }, name + "-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits briefly for the reader to reach end of stream, then returns the tail. */
  public String text() {
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      int len = (int) Math.min(written, KEEP);
      byte[] out = new byte[len];
      long start = written - len;
      for (int i = 0; i < len; i++) {
        out[i] = ring[(int) ((start + i) % KEEP)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
