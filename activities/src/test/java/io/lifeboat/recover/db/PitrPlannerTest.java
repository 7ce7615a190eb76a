package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.recover.db.PlanRequest;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryTarget;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The time bound of a point-in-time recovery: the archive reaches as far as its newest segment
 * was written (recorded at push, sub-second), not the whole second S3 stored it in. The target
 * of the fresh-machine failure (issue 15) is inside the newest archived second.
 */
class PitrPlannerTest {
  private static final String DB = "farmtally_production";
  private static final String NEWEST = "000000010000000000000007";

  private final MemoryStore store = new MemoryStore();
  private final WalArchive archive = new WalArchive(store, "p", DB, 1);

  PitrPlannerTest() {
    store.lastModified = Instant.parse("2026-12-05T22:58:39Z");
    String id = "20261205T225830Z.000-aaaaaaaa";
    store.putWithMetadata(RepositoryLayout.baseManifestKey("p", DB, id), ("{\"backupId\":\"" + id
        + "\",\"storedBytes\":10,\"finishedAt\":\"2026-12-05T22:58:30Z\","
        + "\"startLsn\":\"0/2000028\",\"stopLsn\":\"0/2000100\",\"timeline\":1}")
        .getBytes(StandardCharsets.UTF_8), Map.of());
    for (int n = 2; n < 7; n++) segment(String.format("0000000100000000%08X", n), null);
  }

  private void segment(String name, String writtenAt) {
    Map<String, String> meta = new HashMap<>();
    meta.put(RepositoryLayout.META_SHA256, "00");
    if (writtenAt != null) meta.put(RepositoryLayout.META_WRITTEN_AT, writtenAt);
    store.putWithMetadata(archive.key(name), new byte[1], meta);
  }

  private static PlanRequest at(String time) {
    return new PlanRequest(new DatabaseConfig(DB, "127.0.0.1", 5432, "u", null, null, List.of()),
        new RepositoryConfig("http://127.0.0.1:9", "b", "p", null, true, "A", "S", null, null,
            null, null, null), RecoveryTarget.time(time));
  }

  private RecoveryPlan plan(String time) {
    return new PitrPlanner().plan(at(time), store).orElseThrow();
  }

  private String refusal(String time) {
    return assertThrows(ApplicationFailure.class, () -> plan(time)).getOriginalMessage();
  }

  @Test
  void aTargetInsideTheNewestSecondBeforeTheSegmentWasWrittenIsAccepted() {
    segment(NEWEST, "2026-12-05T22:58:39.412345Z");
    RecoveryPlan p = plan("2026-12-05T22:58:39.220593Z");
    assertEquals(NEWEST, p.walTo());
    assertEquals("000000010000000000000002", p.walFrom());
    assertEquals("2026-12-05T22:58:39.412345Z", p.newestArchivedAt());
    assertEquals(NEWEST, plan("2026-12-05T22:58:39.412345Z").walTo()); // the very end: still in
  }

  @Test
  void aTargetAfterTheSegmentWasWrittenIsRefusedEvenInTheSameSecond() {
    segment(NEWEST, "2026-12-05T22:58:39.412345Z");
    String why = refusal("2026-12-05T22:58:39.412346Z");
    assertTrue(why.contains("is after the newest archived WAL of " + DB + " (" + NEWEST
        + ", which reaches 2026-12-05T22:58:39.412345Z)"), why);
  }

  @Test
  void aSegmentStoredWithoutTheRecordCoversTheWholeSecondS3StoredItIn() {
    segment(NEWEST, null);
    assertEquals(NEWEST, plan("2026-12-05T22:58:39.220593Z").walTo());
    assertEquals(NEWEST, plan("2026-12-05T22:58:39.999999Z").walTo());
    assertTrue(refusal("2026-12-05T22:58:40.000001Z").contains("is after the newest archived"));
  }

  @Test
  void aTargetBeforeTheOldestBaseBackupIsRefused() {
    segment(NEWEST, "2026-12-05T22:58:39.412345Z");
    assertTrue(refusal("2026-12-05T22:58:29.999Z").contains("is before the oldest base backup"));
  }
}
