package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.storage.StorageException;
import io.lifeboat.wal.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
  static final String ROOT = "p/db/app/full/";
  static final Instant NOW = Instant.parse("2026-12-10T12:00:00.500Z");
  static final Retention.Policy SEVEN_DAYS =
      new Retention.Policy(1, Duration.ofDays(7), Duration.ofDays(1));

  final MemoryStore store = new MemoryStore();
  final List<String> removed = new ArrayList<>();

  void backup(String id, boolean committed) {
    store.put(ROOT + id + "/dump.zst", new byte[] {1}, "x");
    if (committed) store.put(ROOT + id + "/manifest.json", new byte[] {2}, "x");
  }

  boolean present(String id) {
    return !store.list(ROOT + id + "/").isEmpty();
  }

  Retention.Outcome apply(Retention.Policy policy) {
    return Retention.apply(store, ROOT, NOW, policy, Retention.Dir::holdsManifest,
        Retention.Dir::idTime, LocalCopy.NONE, (id, c) -> removed.add(id + (c ? "" : " leftover")));
  }

  @Test
  void theNewestIsNeverDeletedHoweverOld() {
    backup("20250101T000000Z", true);
    backup("20250102T000000Z.123-abcdefgh", true);
    for (int keep : new int[] {1, 0, -3}) {
      Retention.Outcome o = apply(new Retention.Policy(keep, Duration.ofDays(7), null));
      assertTrue(present("20250102T000000Z.123-abcdefgh"), "keepNewest " + keep);
      assertEquals(List.of("20250102T000000Z.123-abcdefgh"), o.kept());
    }
    assertFalse(present("20250101T000000Z"));
  }

  @Test
  void cutOffExactlyNDaysOldIsKeptOneMillisecondOlderGoes() {
    // New id shape: the millisecond counts. NOW - 7 days = 20261203T120000Z.500
    backup("20261203T120000Z.500-aaaaaaaa", true); // exactly 7 days old: kept
    backup("20261203T120000Z.499-bbbbbbbb", true); // a millisecond older: expired
    // Old id shape: the second alone. 20261203T120000Z is 7 days and 500 ms old: expired.
    backup("20261203T120000Z", true);
    backup("20261203T120001Z", true); // younger than 7 days: kept
    backup("20261210T120000Z.000-newestaa", true);
    Retention.Outcome o = apply(SEVEN_DAYS);
    assertEquals(List.of("20261203T120000Z", "20261203T120000Z.499-bbbbbbbb"), o.expired());
    assertEquals(List.of("20261203T120000Z.500-aaaaaaaa", "20261203T120001Z",
        "20261210T120000Z.000-newestaa"), o.kept());
  }

  @Test
  void bothIdShapesSortTogetherAndTheNewestOfASecondIsTheUniqueOne() {
    backup("20250101T000000Z", true);
    backup("20250101T000000Z.001-abcdefgh", true); // same second, later: the newest
    Retention.Outcome o = apply(SEVEN_DAYS);
    assertEquals(List.of("20250101T000000Z"), o.expired());
    assertEquals(List.of("20250101T000000Z.001-abcdefgh"), o.kept());
  }

  @Test
  void aKeptCountKeepsTheNewestNWhateverTheirAge() {
    for (int d = 1; d <= 5; d++) backup("2025010" + d + "T000000Z", true);
    Retention.Outcome o = apply(new Retention.Policy(2, Duration.ofDays(7), null));
    assertEquals(List.of("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"), o.expired());
    assertEquals(List.of("20250104T000000Z", "20250105T000000Z"), o.kept());
  }

  @Test
  void withoutAnAgeOnlyTheCountDecides() {
    backup("20261210T110000Z", true);
    backup("20261210T115959Z", true);
    backup("20261210T120000Z", true);
    Retention.Outcome o = apply(new Retention.Policy(2, null, null));
    assertEquals(List.of("20261210T110000Z"), o.expired());
  }

  @Test
  void anUnknownAgeIsKept() {
    backup("not-an-id", true);
    backup("20250101T000000Z", true);
    backup("20250102T000000Z", true);
    Retention.Outcome o = apply(SEVEN_DAYS);
    // "not-an-id" sorts last: it is the newest by id order, and its age is unknown anyway.
    assertEquals(List.of("20250101T000000Z", "20250102T000000Z"), o.expired());
    assertTrue(present("not-an-id"));
  }

  @Test
  void leftoversGoAfterTheirGraceAndOnlyWithABackupId() {
    backup("20261209T115959Z", false);              // a day and a bit: removed
    backup("20261209T120001Z.000-younger1", false); // younger than a day: maybe still running
    backup("junk", false);                          // not a backup id: never a leftover
    backup("20261201T000000Z", true);
    Retention.Outcome o = apply(SEVEN_DAYS);
    assertEquals(List.of("20261209T115959Z"), o.leftovers());
    assertEquals(List.of(), o.expired());
    assertEquals(List.of("20261209T115959Z leftover"), removed);
    assertTrue(present("20261209T120001Z.000-younger1"));
    assertTrue(present("junk"));
    // No grace: leftovers are not looked at.
    backup("20250101T000000Z", false);
    apply(new Retention.Policy(1, Duration.ofDays(7), null));
    assertTrue(present("20250101T000000Z"));
  }

  @Test
  void theManifestIsDeletedFirst() {
    store.put(ROOT + "20250101T000000Z/a.zst", new byte[] {1}, "x");
    store.put(ROOT + "20250101T000000Z/manifest.json", new byte[] {1}, "x");
    store.put(ROOT + "20250101T000000Z/z.zst", new byte[] {1}, "x");
    backup("20261210T000000Z", true);
    apply(SEVEN_DAYS);
    assertEquals(ROOT + "20250101T000000Z/manifest.json", store.deletes.get(0));
    assertEquals(3, store.deletes.size());
  }

  @Test
  void aFailureBetweenDeletesLeavesNoBackupThatLooksGood() {
    backup("20250101T000000Z", true);
    backup("20261210T000000Z", true);
    store.failDelete = k -> k.endsWith("/dump.zst");
    assertThrows(StorageException.class, () -> apply(SEVEN_DAYS));
    // The manifest went, the data stayed: an incomplete directory, not a backup.
    assertTrue(present("20250101T000000Z"));
    assertFalse(store.exists(ROOT + "20250101T000000Z/manifest.json"));
    store.failDelete = null;
    Retention.Outcome o = apply(SEVEN_DAYS);
    assertEquals(List.of("20261210T000000Z"), o.kept());
    // The next run takes it for a leftover (older than a day) and finishes the job.
    assertEquals(List.of("20250101T000000Z"), o.leftovers());
    assertFalse(present("20250101T000000Z"));
  }

  @Test
  void committedMeansAManifestExactlyInTheDirectoryOrAnywhereAsTheKindSays() {
    store.put(ROOT + "20250101T000000Z/sub/manifest.json", new byte[] {1}, "x");
    var dir = Retention.directories(store, ROOT).get("20250101T000000Z");
    assertFalse(dir.holdsManifest());
    assertTrue(dir.holdsManifestAnywhere());
  }

  @Test
  void otherRootsAreNotTouched() {
    store.put("p/db/app/fullx/20250101T000000Z/manifest.json", new byte[] {1}, "x");
    store.put("p/db/app/base/20250101T000000Z/manifest.json", new byte[] {1}, "x");
    backup("20250101T000000Z", true);
    backup("20261210T000000Z", true);
    apply(SEVEN_DAYS);
    assertTrue(store.exists("p/db/app/fullx/20250101T000000Z/manifest.json"));
    assertTrue(store.exists("p/db/app/base/20250101T000000Z/manifest.json"));
  }
}
