package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DumpRetentionProbe;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.repository.RepositoryLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** GFS keeps: the pure selection, and through the dump retention that uses it. */
class GfsSelectionTest {
  static final String ROOT = "p/db/app/full/";
  static final RetentionConfig.Keep KEEP = new RetentionConfig.Keep(7, 4, 12, 2);
  static final Instant FIRST = Instant.parse("2025-11-06T02:00:00.123Z");
  static final Instant SWITCH = Instant.parse("2026-06-01T00:00:00Z");

  /** One backup a day for n days from FIRST: second-resolution ids before SWITCH, unique after. */
  static LinkedHashMap<String, Instant> daily(int n) {
    LinkedHashMap<String, Instant> ids = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Instant t = FIRST.plus(Duration.ofDays(i));
      String id = t.isBefore(SWITCH) ? RepositoryLayout.backupId(t.toEpochMilli())
          : RepositoryLayout.uniqueBackupId(t.toEpochMilli(), "run" + i);
      // the id's own time: the old shape drops the milliseconds
      ids.put(id, RepositoryLayout.backupTime(id).orElseThrow());
    }
    return ids;
  }

  /** The rule written out another way: newest backup of each period, the last n periods. */
  static Set<String> expected(Map<String, Instant> ids, Instant now, int fullDays, ZoneId zone) {
    Set<String> keep = new HashSet<>();
    Instant cutoff = now.minus(Duration.ofDays(fullDays));
    ids.forEach((id, t) -> {
      if (!t.isBefore(cutoff)) keep.add(id);
    });
    keep.add(new TreeSet<>(ids.keySet()).last()); // ids sort by time: the newest
    newestOfLastPeriods(ids, KEEP.daily(), zone, d -> d.toString(), keep);
    newestOfLastPeriods(ids, KEEP.weekly(), zone, d -> String.format("%d-W%02d",
        d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), keep);
    newestOfLastPeriods(ids, KEEP.monthly(), zone, d -> String.format("%d-%02d", d.getYear(),
        d.getMonthValue()), keep);
    newestOfLastPeriods(ids, KEEP.yearly(), zone, d -> String.valueOf(d.getYear()), keep);
    return keep;
  }

  static void newestOfLastPeriods(Map<String, Instant> ids, int n, ZoneId zone,
      Function<LocalDate, String> period, Set<String> keep) {
    TreeMap<String, String> newestByPeriod = new TreeMap<>(); // period keys sort by time
    ids.forEach((id, t) -> newestByPeriod.merge(period.apply(LocalDate.ofInstant(t, zone)), id,
        (a, b) -> ids.get(a).isAfter(ids.get(b)) ? a : b));
    List<String> newestFirst = new ArrayList<>(newestByPeriod.descendingMap().values());
    keep.addAll(newestFirst.subList(0, Math.min(n, newestFirst.size())));
  }

  static String idOn(Map<String, Instant> ids, String date) {
    return ids.entrySet().stream()
        .filter(e -> LocalDate.ofInstant(e.getValue(), ZoneOffset.UTC).toString().equals(date))
        .findFirst().orElseThrow().getKey();
  }

  @Test
  void fourHundredDaysThroughTheDumpRetention() {
    LinkedHashMap<String, Instant> ids = daily(400);
    Instant now = Instant.parse("2026-12-10T03:00:00Z"); // an hour after the 400th
    MemoryStore store = new MemoryStore();
    ids.keySet().forEach(id -> {
      store.put(ROOT + id + "/dump.pgc.zst", new byte[] {1}, "x");
      store.put(ROOT + id + "/manifest.json", new byte[] {2}, "x");
    });
    List<String> expired = DumpRetentionProbe.retention(store, 30, now, KEEP, "UTC");

    Set<String> survivors = new TreeSet<>(Retention.directories(store, ROOT).keySet());
    Set<String> want = new TreeSet<>(expected(ids, now, 30, ZoneOffset.UTC));
    assertEquals(want, survivors);
    assertEquals(400 - want.size(), expired.size());
    // By hand: 30 days by age (11-11 to 12-10), 10 month ends before them, 2025's last.
    assertEquals(41, survivors.size());
    for (String d : List.of("2025-12-31", "2026-01-31", "2026-02-28", "2026-05-31",
        "2026-06-30", "2026-10-31", "2026-11-11", "2026-12-10")) {
      assertTrue(survivors.contains(idOn(ids, d)), d);
    }
    for (String d : List.of("2025-11-06", "2025-11-30", "2026-01-30", "2026-02-27",
        "2026-11-10")) {
      assertFalse(survivors.contains(idOn(ids, d)), d);
    }
    assertTrue(idOn(ids, "2026-01-31").length() == 16, "old shape");
    assertTrue(idOn(ids, "2026-06-30").contains("."), "unique shape");
  }

  @Test
  void thePureSelectionKeepsTheNewestOfEachPeriodCountingOnlyPeriodsWithABackup() {
    Map<String, Instant> ids = new LinkedHashMap<>();
    ids.put("a", Instant.parse("2026-01-05T10:00:00Z"));
    ids.put("b", Instant.parse("2026-01-05T20:00:00Z")); // newest of its day, week, month
    ids.put("c", Instant.parse("2026-03-01T00:00:00Z")); // February has none: skipped
    ids.put("d", Instant.parse("2026-03-02T00:00:00Z"));
    assertEquals(Set.of("d", "b"),
        GfsSelection.keep(ids, new RetentionConfig.Keep(0, 0, 2, 0), ZoneOffset.UTC));
    assertEquals(List.of("d", "c"), List.copyOf(
        GfsSelection.keep(ids, new RetentionConfig.Keep(2, 0, 0, 0), ZoneOffset.UTC)));
    // c (Sunday 1 March) and d (Monday) are in different ISO weeks
    assertEquals(Set.of("d", "c", "b"),
        GfsSelection.keep(ids, new RetentionConfig.Keep(0, 3, 0, 1), ZoneOffset.UTC));
    assertEquals(Set.of(), GfsSelection.keep(ids, RetentionConfig.Keep.NONE, ZoneOffset.UTC));
    // In Tokyo, c (09:00 on 1 March) stays the first of March; in Los Angeles it is February's.
    assertEquals(Set.of("d", "c", "b"), GfsSelection.keep(ids,
        new RetentionConfig.Keep(0, 0, 3, 0), ZoneId.of("America/Los_Angeles")));
    assertEquals(Set.of("d", "b"), GfsSelection.keep(ids,
        new RetentionConfig.Keep(0, 0, 3, 0), ZoneId.of("Asia/Tokyo")));
  }

  @Test
  void withoutKeepTheResultIsTodaysAgeOnlyOne() {
    LinkedHashMap<String, Instant> ids = daily(120);
    Instant now = Instant.parse("2026-05-01T12:00:00Z"); // the last is 2026-03-05: all are old
    for (RetentionConfig.Keep keep : new RetentionConfig.Keep[] {null, RetentionConfig.Keep.NONE}) {
      MemoryStore before = new MemoryStore();
      MemoryStore after = new MemoryStore();
      for (MemoryStore s : List.of(before, after)) {
        ids.keySet().forEach(id -> s.put(ROOT + id + "/manifest.json", new byte[] {2}, "x"));
        s.put(ROOT + "20251101T000000Z/dump.pgc.zst", new byte[] {1}, "x"); // a leftover
      }
      Retention.Outcome old = Retention.apply(before, ROOT, now,
          new Retention.Policy(1, Duration.ofDays(30), Duration.ofDays(1)),
          Retention.Dir::holdsManifestAnywhere, Retention.Dir::idTime, LocalCopy.NONE,
          (id, c) -> { });
      Retention.Outcome gfs = Retention.apply(after, ROOT, now,
          new Retention.Policy(1, Duration.ofDays(30), Duration.ofDays(1), keep,
              ZoneId.of("Europe/Berlin")),
          Retention.Dir::holdsManifestAnywhere, Retention.Dir::idTime, LocalCopy.NONE,
          (id, c) -> { });
      assertEquals(old, gfs);
      assertEquals(before.list(ROOT), after.list(ROOT));
      assertEquals(List.of(ROOT + new ArrayList<>(ids.keySet()).get(119) + "/manifest.json"),
          after.list(ROOT));
    }
  }
}
