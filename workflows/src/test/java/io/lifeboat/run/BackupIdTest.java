package io.lifeboat.run;

import io.lifeboat.repository.RepositoryLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backup ids: unique per run, and old and new shapes sorting together as plain strings. */
class BackupIdTest {
  private static final long T = Instant.parse("2026-11-21T02:00:00.042Z").toEpochMilli();
  private static final String RUN_A = "5b3c9e1f-0a7d-4c2b-9e8f-1234567890ab";
  private static final String RUN_B = "a1f2e3d4-0000-4000-8000-000000000000";

  @Test
  void uniqueIdIsTheOldIdThenTheMillisecondThenARunPiece() {
    assertEquals("20261121T020000Z.042-567890ab", RepositoryLayout.uniqueBackupId(T, RUN_A));
    assertEquals("20261121T020000Z", RepositoryLayout.backupId(T));
    assertTrue(RepositoryLayout.uniqueBackupId(T, RUN_A).startsWith(RepositoryLayout.backupId(T)));
    assertEquals("20261121T020000Z.042-567890ab-1a2b3c4d",
        RepositoryLayout.uniqueAppBackupId(T, RUN_A, "1a2b3c4d5e6f"));
    assertEquals("20261121T020000Z.042-567890ab-nocommit",
        RepositoryLayout.uniqueAppBackupId(T, RUN_A, null));
  }

  /**
   * Temporal's run ids are UUIDv7: the first 12 hex digits are the server's clock. Two runs
   * started together on the local stack had run ids 01a20240-... and 01a20240-...: the random
   * tail is what tells them apart.
   */
  @Test
  void uuidV7RunIdsStartedTogetherStillDiffer() {
    String v7a = "019aa8f0-1c2b-7d3e-8f40-5a6b7c8d9e0f";
    String v7b = "019aa8f0-1c2b-7a11-b222-333344445555";
    assertNotEquals(RepositoryLayout.uniqueBackupId(T, v7a), RepositoryLayout.uniqueBackupId(T, v7b));
    assertEquals("20261121T020000Z.042-7c8d9e0f", RepositoryLayout.uniqueBackupId(T, v7a));
  }

  @Test
  void twoRunsInTheSameMillisecondGetDifferentIds() {
    assertNotEquals(RepositoryLayout.uniqueBackupId(T, RUN_A),
        RepositoryLayout.uniqueBackupId(T, RUN_B));
    // The same run asks again (a replay): the same id.
    assertEquals(RepositoryLayout.uniqueBackupId(T, RUN_A),
        RepositoryLayout.uniqueBackupId(T, RUN_A));
  }

  @Test
  void oddRunIdsStillGiveAWellFormedId() {
    assertTrue(RepositoryLayout.isBackupId(RepositoryLayout.uniqueBackupId(T, "AB-c")));
    assertTrue(RepositoryLayout.isBackupId(RepositoryLayout.uniqueBackupId(T, null)));
    assertTrue(RepositoryLayout.isBackupId(RepositoryLayout.uniqueBackupId(0, RUN_A)));
  }

  @Test
  void bothShapesParseToTheirTime() {
    assertEquals(Optional.of(Instant.parse("2026-11-21T02:00:00Z")),
        RepositoryLayout.backupTime("20261121T020000Z"));
    assertEquals(Optional.of(Instant.parse("2026-11-21T03:00:00Z")),
        RepositoryLayout.backupTime("20261121T030000Z-1a2b3c4d"));
    assertEquals(Optional.of(Instant.parse("2026-11-21T02:00:00.042Z")),
        RepositoryLayout.backupTime("20261121T020000Z.042-5b3c9e1f"));
    assertEquals(Optional.of(Instant.parse("2026-11-21T02:00:00.042Z")),
        RepositoryLayout.backupTime("20261121T020000Z.042-5b3c9e1f-1a2b3c4d"));
    for (String bad : List.of("", "yesterday", "20261121T020000", "20261399T020000Z",
        "20261121T020000Z.42-5b3c9e1f", "20261121T020000Z.042", "20261121T020000Z.042-5B3C9E1F",
        "20261121T020000Z/../x", "../20261121T020000Z")) {
      assertEquals(Optional.empty(), RepositoryLayout.backupTime(bad), bad);
      if (!bad.equals("20261399T020000Z")) assertFalse(RepositoryLayout.isBackupId(bad), bad);
    }
  }

  @Test
  void mixedShapesSortByTimeAsStrings() {
    // Oldest first, as retention and the planners expect them after a plain string sort.
    List<String> inTimeOrder = List.of(
        "20261120T235959Z",                          // old, the day before
        "20261121T015959Z.999-ffffffff",             // new, the second before
        "20261121T020000Z",                          // old, truncated to 02:00:00(.000)
        "20261121T020000Z-1a2b3c4d",                 // old app id of that second
        "20261121T020000Z.000-00000001",             // new, same second
        "20261121T020000Z.042-5b3c9e1f",             // new, 42 ms later
        "20261121T020000Z.042-a1f2e3d4",             // same millisecond, another run
        "20261121T020000Z.042-a1f2e3d4-1a2b3c4d",    // new app id
        "20261121T020000Z.500-00000000",
        "20261121T020001Z",                          // old, the next second
        "20261121T020001Z.001-00000000");
    List<String> shuffled = new ArrayList<>(inTimeOrder);
    java.util.Collections.shuffle(shuffled, new java.util.Random(7));
    shuffled.sort(String::compareTo);
    assertEquals(inTimeOrder, shuffled);
    // And string order never contradicts the times the ids stand for.
    for (int i = 1; i < inTimeOrder.size(); i++) {
      Instant before = RepositoryLayout.backupTime(inTimeOrder.get(i - 1)).orElseThrow();
      Instant after = RepositoryLayout.backupTime(inTimeOrder.get(i)).orElseThrow();
      assertFalse(after.isBefore(before), inTimeOrder.get(i - 1) + " vs " + inTimeOrder.get(i));
    }
  }

  @Test
  void idsMadeOneMillisecondApartSortInThatOrder() {
    String previous = null;
    for (long t = T - 1500; t < T + 1500; t += 1) {
      String id = RepositoryLayout.uniqueBackupId(t, t % 2 == 0 ? RUN_B : RUN_A);
      if (previous != null) assertTrue(previous.compareTo(id) < 0, previous + " !< " + id);
      previous = id;
    }
  }
}
