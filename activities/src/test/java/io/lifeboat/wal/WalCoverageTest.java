package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.repository.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How far in time the archive reaches: recorded at push, or the store's whole second. */
class WalCoverageTest {
  @TempDir Path dir;

  @Test
  void pushRecordsWhenTheFileWasLastWrittenToTheMicrosecond() throws Exception {
    MemoryStore store = new MemoryStore();
    store.lastModified = Instant.parse("2026-12-05T22:58:39Z"); // S3: whole seconds, later
    WalArchive archive = new WalArchive(store, "p", "db", 1);
    Path seg = dir.resolve("000000010000000000000007");
    Files.write(seg, new byte[8192]);
    Instant written = Instant.parse("2026-12-05T22:58:39.412345Z");
    Files.setLastModifiedTime(seg, FileTime.from(written));

    archive.push(seg, "000000010000000000000007");

    assertEquals(written.toString(), archive.info("000000010000000000000007").orElseThrow()
        .metadata().get(RepositoryLayout.META_WRITTEN_AT));
    assertEquals(written, archive.coveredUntil("000000010000000000000007").orElseThrow());
  }

  @Test
  void anObjectStoredBeforeTheRecordCoversItsWholeSecond() {
    MemoryStore store = new MemoryStore();
    store.lastModified = Instant.parse("2026-12-05T22:58:39Z");
    WalArchive archive = new WalArchive(store, "p", "db", 1);
    store.putWithMetadata(archive.key("000000010000000000000007"), new byte[1],
        Map.of(RepositoryLayout.META_SHA256, "00"));

    assertEquals(Instant.parse("2026-12-05T22:58:39.999999999Z"),
        archive.coveredUntil("000000010000000000000007").orElseThrow());
  }

  @Test
  void anUnreadableRecordFallsBackToTheStoresSecond() {
    MemoryStore store = new MemoryStore();
    store.lastModified = Instant.parse("2026-12-05T22:58:39Z");
    WalArchive archive = new WalArchive(store, "p", "db", 1);
    store.putWithMetadata(archive.key("000000010000000000000007"), new byte[1],
        Map.of(RepositoryLayout.META_WRITTEN_AT, "yesterday"));

    assertEquals(Instant.parse("2026-12-05T22:58:39.999999999Z"),
        archive.coveredUntil("000000010000000000000007").orElseThrow());
  }
}
