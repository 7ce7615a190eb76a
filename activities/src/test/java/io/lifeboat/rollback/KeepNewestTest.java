package io.lifeboat.rollback;

import io.lifeboat.backup.artifact.ArchiveActivitiesImpl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.backup.artifact.DiscardArtifactRequest;
import io.lifeboat.backup.artifact.KeepNewestRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Application and configuration backups' wiring of the shared retention and discard. */
class KeepNewestTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final String ROOT = "p/app/web/";
  final MemoryStore store = new MemoryStore();

  void put(String key) {
    store.put(ROOT + key, new byte[] {1}, "x");
  }

  @Test
  void keepsTheNewestNByIdAndReturnsTheRestNewestFirst() {
    put("20261101T000000Z-1a2b3c4d/app.tar.gz");
    put("20261101T000000Z-1a2b3c4d/manifest.json");
    put("20261101T000000Z.500-abcdefgh-1a2b3c4d/manifest.json");
    put("20261102T000000Z-1a2b3c4d/sub/manifest.json"); // not committed here: untouched
    put("20261103T000000Z-1a2b3c4d/app.tar.gz");         // a leftover: not looked at
    put("20261104T000000Z.000-abcdefgh-nocommit/manifest.json");
    assertEquals(List.of("20261101T000000Z.500-abcdefgh-1a2b3c4d", "20261101T000000Z-1a2b3c4d"),
        ArchiveActivitiesImpl.keepNewest(store, new KeepNewestRequest(REPO, ROOT, 1)));
    assertEquals(List.of(ROOT + "20261102T000000Z-1a2b3c4d/sub/manifest.json",
        ROOT + "20261103T000000Z-1a2b3c4d/app.tar.gz",
        ROOT + "20261104T000000Z.000-abcdefgh-nocommit/manifest.json"), store.list(ROOT));
    assertEquals(ROOT + "20261101T000000Z-1a2b3c4d/manifest.json", store.deletes.get(0));
  }

  @Test
  void discardLeavesACommittedBackupAlone() {
    put("20261101T000000Z-1a2b3c4d/manifest.json");
    assertFalse(ArchiveActivitiesImpl.discard(store,
        new DiscardArtifactRequest(REPO, ROOT + "20261101T000000Z-1a2b3c4d/")));
    put("20261102T000000Z-1a2b3c4d/app.tar.gz");
    assertTrue(ArchiveActivitiesImpl.discard(store,
        new DiscardArtifactRequest(REPO, ROOT + "20261102T000000Z-1a2b3c4d/")));
    assertEquals(List.of(ROOT + "20261101T000000Z-1a2b3c4d/manifest.json"), store.list(ROOT));
  }
}
