package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChunkPipeTest {
  @Test
  void everyByteArrivesInOrderThroughFewerBuffersThanTheStreamNeeds() throws Exception {
    byte[] data = new byte[3_500_017];
    new Random(7).nextBytes(data);
    ChunkPipe pipe = new ChunkPipe(64 * 1024, 3);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        pipe.pump(new ByteArrayInputStream(data));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    byte[] read = pipe.reader().readAllBytes();
    writer.get();
    assertArrayEquals(data, read);
  }

  @Test
  void theWritersFailureReachesTheReaderInsteadOfAShortStream() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2);
    InputStream failing = new InputStream() {
      int left = 5000;

      @Override
      public int read() throws IOException {
        if (left-- <= 0) throw new IOException("disk gone");
        return 1;
      }
    };
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        pipe.pump(failing);
      } catch (Exception expected) {
        // the reader must see it too
      }
    });
    IOException e = assertThrows(IOException.class, () -> pipe.reader().readAllBytes());
    assertTrue(String.valueOf(e.getCause()).contains("disk gone"), String.valueOf(e));
    writer.get();
  }
}
