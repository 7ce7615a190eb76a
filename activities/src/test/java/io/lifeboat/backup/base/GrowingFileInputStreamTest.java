package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingFileInputStreamTest {
  @TempDir Path dir;

  /** A writer that creates the file late, appends in bursts with pauses, then ends. */
  @Test
  void readsEverythingWrittenAndEndsOnlyAfterTheWriter() throws Exception {
    Path file = dir.resolve("base.tar.zst");
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(4).nextBytes(content);
    AtomicBoolean done = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(50);
        try (OutputStream out = Files.newOutputStream(file)) {
          for (int off = 0; off < content.length; off += 100_000) {
            out.write(content, off, Math.min(100_000, content.length - off));
            out.flush();
            if (off % 1_000_000 == 0) Thread.sleep(30);   // the reader meets the end meanwhile
          }
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      } finally {
        done.set(true);
      }
    });
    writer.start();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (GrowingFileInputStream in = new GrowingFileInputStream(file, done::get)) {
      in.transferTo(got);
      assertTrue(in.readAll());
      assertEquals(content.length, in.bytesRead());
    }
    writer.join();
    assertArrayEquals(content, got.toByteArray());
  }

  @Test
  void aWriterThatEndsWithoutTheFileGivesAnEmptyStream() throws Exception {
    try (InputStream in = new GrowingFileInputStream(dir.resolve("never"), () -> true)) {
      assertEquals(-1, in.read());
    }
  }
}
