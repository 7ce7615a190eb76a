package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalPrefetcherTest {
  @TempDir Path tmp;

  @Test
  void answersRequestsFetchesAheadAndSaysWhatIsMissing() throws Exception {
    MemoryStore store = new MemoryStore();
    WalArchive archive = new WalArchive(store, "p", "db", 3);
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 1; i <= 6; i++) {
      String n = String.format("0000000100000000000000%02X", i);
      byte[] b = new byte[32 * 1024];
      new Random(i).nextBytes(b);
      archive.push(Files.write(src.resolve(n), b), n);
    }
    Path spool = tmp.resolve("spool");
    Path fetch = Files.createDirectories(spool.resolve("fetch").resolve("req"));
    Files.createFile(fetch.resolve("000000010000000000000001"));
    Files.createFile(fetch.resolve("00000002.history"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new WalPrefetcher(archive, spool, 2, 16, 16L << 20, Duration.ofMillis(300),
        new PrintStream(log, true)).run();

    Path got = spool.resolve("fetch").resolve("got");
    assertEquals(-1, Files.mismatch(src.resolve("000000010000000000000001"),
        got.resolve("000000010000000000000001")), log.toString());
    // Fetched ahead while segment 1 was being asked for: at least the next one, all verified.
    assertTrue(Files.exists(got.resolve("000000010000000000000002")), log.toString());
    try (var files = Files.list(got)) {
      for (Path p : files.toList()) {
        assertEquals(-1, Files.mismatch(src.resolve(p.getFileName().toString()), p), p.toString());
      }
    }
    assertFalse(Files.exists(got.resolve("000000010000000000000007")), "not in the archive");
    assertTrue(Files.exists(spool.resolve("fetch").resolve("miss").resolve("00000002.history")));
  }
}
