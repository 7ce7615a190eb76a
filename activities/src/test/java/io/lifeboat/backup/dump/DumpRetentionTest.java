package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.backup.dump.RetentionRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump's wiring of the shared retention and discard (io.lifeboat.repository). */
class DumpRetentionTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final String ROOT = "p/db/app/full/";
  final MemoryStore store = new MemoryStore();

  void put(String key) {
    store.put(ROOT + key, new byte[] {1}, "x");
  }

  @Test
  void byIdTimeNewestKeptNestedManifestCommitsLeftoversAfterADay() {
    long now = Instant.parse("2026-12-10T12:00:00Z").toEpochMilli();
    put("20261101T000000Z/dump.zst");
    put("20261101T000000Z/manifest.json");                 // expired
    put("20261102T000000Z.001-abcdefgh/sub/manifest.json"); // committed too, for dumps: expired
    put("20261103T000000Z/dump.zst");                      // leftover: removed, not returned
    put("20261104T000000Z-junk/manifest.json");            // old id with a suffix: expired
    put("junk/manifest.json");                             // not an id: kept
    put("20261110T000000Z/manifest.json");                 // younger than 60 days
    List<String> expired = DatabaseBackupActivitiesImpl.retention(store,
        new RetentionRequest(REPO, "app", 60, now));
    assertEquals(List.of(), expired);
    expired = DatabaseBackupActivitiesImpl.retention(store,
        new RetentionRequest(REPO, "app", 7, now));
    assertEquals(List.of("20261101T000000Z", "20261102T000000Z.001-abcdefgh",
        "20261104T000000Z-junk", "20261110T000000Z"), expired);
    assertEquals(List.of(ROOT + "junk/manifest.json"), store.list(ROOT));
  }

  @Test
  void discardLeavesACommittedDumpAlone() {
    put("20261101T000000Z/dump.zst");
    put("20261101T000000Z/manifest.json");
    assertFalse(DatabaseBackupActivitiesImpl.discard(store,
        new DiscardRequest(REPO, "app", "20261101T000000Z")));
    put("20261102T000000Z/dump.zst");
    assertTrue(DatabaseBackupActivitiesImpl.discard(store,
        new DiscardRequest(REPO, "app", "20261102T000000Z")));
    assertEquals(2, store.list(ROOT).size());
  }
}
