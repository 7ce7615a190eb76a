package io.lifeboat.backup.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands a stream from one thread to another in large chunks, so that decompressing the base
 * backup and unpacking it (checksums and writes) run on two cores, as {@code zstd -d | tar -x}
 * did, instead of one after the other on one. Bounded: at most {@code depth} chunks wait, so a
 * slow reader holds back the writer rather than filling memory.
 */
final class ChunkPipe {
  private record Chunk(byte[] bytes, int length) {}

  private static final Chunk END = new Chunk(new byte[0], -1);

  private final BlockingQueue<Chunk> filled;
  private final BlockingQueue<byte[]> empty;
  private volatile IOException failure;

  ChunkPipe(int chunkBytes, int depth) {
    filled = new ArrayBlockingQueue<>(depth + 1);
    empty = new ArrayBlockingQueue<>(depth);
    for (int i = 0; i < depth; i++) empty.add(new byte[chunkBytes]);
  }

  /** The writing side: copies {@code from} to its end, then marks the end (or the failure). */
  void pump(InputStream from) throws IOException, InterruptedException {
    try {
      while (true) {
        byte[] b = empty.take();
        int n = from.readNBytes(b, 0, b.length);
        if (n == 0) break;
        filled.put(new Chunk(b, n));
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    } finally {
      filled.put(END);
    }
  }

  /** The reading side; ends where {@link #pump} ended, or throws what it threw. */
  InputStream reader() {
    return new InputStream() {
      private Chunk current;
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (current == END) return -1;
        if (current == null || pos == current.length()) {
          if (current != null) empty.add(current.bytes());
          try {
            current = filled.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("unpacking interrupted");
          }
          pos = 0;
          if (current == END) {
            if (failure != null) throw new IOException("reading the base backup failed", failure);
            return -1;
          }
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.bytes(), pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
