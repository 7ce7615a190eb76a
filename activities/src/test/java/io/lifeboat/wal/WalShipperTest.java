package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's promises and the shipper's spool protocol, against an in-memory store. */
class WalShipperTest {
  @TempDir Path tmp;

  private final MemoryStore store = new MemoryStore();
  private final WalArchive archive = new WalArchive(store, "p", "db", 3);

  private Path segment(Path dir, String name, long seed) throws Exception {
    byte[] b = new byte[64 * 1024];
    new Random(seed).nextBytes(b);
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), b);
  }

  @Test
  void pushIsIdempotentRefusesOtherContentAndFetchRoundTrips() throws Exception {
    Path a = segment(tmp.resolve("a"), "000000010000000000000001", 1);
    assertEquals(WalArchive.Outcome.STORED, archive.push(a, "000000010000000000000001").outcome());
    assertEquals(WalArchive.Outcome.ALREADY_ARCHIVED,
        archive.push(a, "000000010000000000000001").outcome());
    Path other = segment(tmp.resolve("b"), "000000010000000000000001", 2);
    StorageException e = assertThrows(StorageException.class,
        () -> archive.push(other, "000000010000000000000001"));
    assertEquals(FailureKind.WAL_CONFLICT, e.kind());
    Path dest = tmp.resolve("RECOVERYXLOG");
    assertTrue(archive.fetch("000000010000000000000001", dest));
    assertEquals(-1, Files.mismatch(a, dest));
    assertFalse(archive.fetch("000000010000000000000002", tmp.resolve("nope")));
    assertFalse(Files.exists(tmp.resolve("nope")));
    assertThrows(StorageException.class, () -> archive.push(a, "RECOVERYXLOG"));
  }

  @Test
  void shipperPushesAheadAnswersRequestsAndRefusesConflicts() throws Exception {
    Path pgWal = tmp.resolve("pg_wal");
    Path status = Files.createDirectories(pgWal.resolve("archive_status"));
    for (int i = 1; i <= 5; i++) {
      String n = String.format("0000000100000000000000%02X", i);
      segment(pgWal, n, i);
      Files.createFile(status.resolve(n + ".ready"));
    }
    // Segment 6 was archived before with other content (a re-created cluster, say).
    Path stale = segment(tmp.resolve("old"), "000000010000000000000006", 99);
    archive.push(stale, "000000010000000000000006");
    segment(pgWal, "000000010000000000000006", 6);
    Path spool = tmp.resolve("spool");
    Files.createDirectories(WalShipper.requests(spool));
    // PostgreSQL asks for segment 1 (and 6); 2 to 5 are only .ready.
    Files.writeString(WalShipper.requests(spool).resolve("000000010000000000000001"),
        pgWal.resolve("000000010000000000000001").toString());
    Files.writeString(WalShipper.requests(spool).resolve("000000010000000000000006"),
        pgWal.resolve("000000010000000000000006").toString());

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new WalShipper(archive, spool, 2, Duration.ofMillis(300), new PrintStream(log, true)).run();

    for (int i = 1; i <= 5; i++) {
      String n = String.format("0000000100000000000000%02X", i);
      Path ok = WalShipper.confirmed(spool).resolve(n);
      assertTrue(Files.exists(ok), n + " confirmed; log:\n" + log);
      assertEquals(WalArchive.sha256(Files.readAllBytes(pgWal.resolve(n))),
          Files.readString(ok).strip());
      assertTrue(archive.info(n).isPresent());
    }
    Path err = WalShipper.refused(spool).resolve("000000010000000000000006");
    assertTrue(Files.exists(err), log.toString());
    assertTrue(Files.readString(err).contains("different content"));
    assertFalse(Files.exists(WalShipper.confirmed(spool).resolve("000000010000000000000006")));
    try (var left = Files.list(WalShipper.requests(spool))) {
      assertEquals(0, left.count(), "every request answered");
    }
  }

  @Test
  void shipperStopsWhenTheRepositoryRefusesUs() throws Exception {
    Path pgWal = tmp.resolve("pg_wal");
    Files.createDirectories(pgWal.resolve("archive_status"));
    segment(pgWal, "000000010000000000000001", 1);
    Path spool = tmp.resolve("spool");
    Files.createDirectories(WalShipper.requests(spool));
    Files.writeString(WalShipper.requests(spool).resolve("000000010000000000000001"),
        pgWal.resolve("000000010000000000000001").toString());
    store.refuseWith = FailureKind.S3_ACCESS_DENIED;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    // A long idle time: only the refusal can end this run.
    new WalShipper(archive, spool, 2, Duration.ofHours(1), new PrintStream(log, true)).run();
    assertTrue(Files.exists(WalShipper.refused(spool).resolve("000000010000000000000001")));
    assertTrue(log.toString().contains("exiting"), log.toString());
  }
}
