package io.lifeboat.backup.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Reads a file while another process is still writing it, like {@code tail -c +1 -f}: at the
 * end of what is written so far it waits, and it reports the end of the stream only once the
 * writer is done and everything it wrote has been read.
 *
 * <p>Why not a FIFO: {@code pg_basebackup -D DIR} refuses a DIR that is not empty, so the FIFO
 * could only be made after pg_basebackup created DIR and before it opens its file, a race. A
 * regular file is always safe; what it costs is the compressed size of the backup in the
 * scratch directory (90 MB for a 2 GB pgbench cluster), beside the unpacked copy that is there
 * anyway.
 */
final class GrowingFileInputStream extends InputStream {
  private static final long POLL_MILLIS = 5;

  private final Path file;
  private final BooleanSupplier writerDone;
  private FileChannel channel;
  private long read;

  /** @param writerDone true once the writer has exited: nothing more will be appended */
  GrowingFileInputStream(Path file, BooleanSupplier writerDone) {
    this.file = file;
    this.writerDone = writerDone;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (true) {
      // Asked before reading: if the writer was done already, an empty read is the true end.
      boolean done = writerDone.getAsBoolean();
      if (channel == null) {
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException notYet) {
          if (done) return -1;   // the writer ended without creating it: an empty stream
          pause();
          continue;
        }
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len));
      if (n > 0) {
        read += n;
        return n;
      }
      if (done) return -1;
      pause();
    }
  }

  /** Bytes returned so far. */
  long bytesRead() {
    return read;
  }

  /** True when everything in the file has been read (to compare with its final size). */
  boolean readAll() throws IOException {
    return Files.exists(file) ? Files.size(file) == read : read == 0;
  }

  private static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while following the base backup's file");
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) channel.close();
  }
}
