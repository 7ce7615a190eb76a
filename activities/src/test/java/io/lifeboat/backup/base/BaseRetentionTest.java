package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.backup.base.BaseRetentionRequest;
import io.lifeboat.backup.base.BaseRetentionResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The base backup's wiring of the shared retention: finishedAt decides, WAL follows. */
class BaseRetentionTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final String ROOT = "p/db/app/base/";
  final MemoryStore store = new MemoryStore();

  void base(String id, String finishedAt, String startSegment) {
    store.put(ROOT + id + "/base.tar.zst", new byte[] {1}, "x");
    store.put(ROOT + id + "/manifest.json", ("{\"backupId\":\"" + id + "\",\"finishedAt\":\""
        + finishedAt + "\",\"startWalSegment\":\"" + startSegment
        + "\",\"walSegmentSize\":16777216}").getBytes(StandardCharsets.UTF_8), "x");
  }

  @Test
  void finishedAtAndCountDecideAndOlderWalGoes() {
    Instant now = Instant.parse("2026-12-10T12:00:00Z");
    // Started long ago, finished exactly 7 days before now: kept (the id's time does not count).
    base("20261101T000000Z", "2026-12-03T12:00:00Z", "000000010000000000000010");
    base("20261102T000000Z.000-abcdefgh", "2026-11-02T01:00:00Z", "000000010000000000000008");
    base("20250101T000000Z", "2025-01-01T01:00:00Z", "000000010000000000000002");
    store.put(ROOT + "20261108T000000Z/base.tar.zst", new byte[] {1}, "x"); // leftover
    store.put("p/wal/app/00000001/000000010000000000000001.zst", new byte[] {1}, "x");
    store.put("p/wal/app/00000001/000000010000000000000010.zst", new byte[] {1}, "x");
    BaseRetentionResult r = BaseRetention.apply(store, new BaseRetentionRequest(
        REPO, "app", new WalConfig(null, null, 1, 7, null, null, null, null),
        now.toEpochMilli()));
    // Id order: 20250101 (old), 20261101 (kept: finished 7 days ago), 20261102 (newest: kept).
    assertEquals(List.of("20250101T000000Z"), r.expiredBackupIds());
    assertEquals("000000010000000000000010", r.oldestKeptStartSegment());
    assertEquals(1, r.walFilesRemoved());
    assertTrue(store.list(ROOT + "20261108T000000Z/").isEmpty());
    assertFalse(store.exists("p/wal/app/00000001/000000010000000000000001.zst"));
    assertTrue(store.exists("p/wal/app/00000001/000000010000000000000010.zst"));
  }

  @Test
  void discardLeavesACommittedBaseAlone() {
    base("20261101T000000Z", "2026-12-03T12:00:00Z", "000000010000000000000010");
    assertFalse(BaseBackupActivitiesImpl.discard(store,
        new DiscardRequest(REPO, "app", "20261101T000000Z")));
    assertEquals(2, store.list(ROOT).size());
  }
}
