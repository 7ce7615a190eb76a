package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.backup.artifact.ArchiveActivitiesImpl;
import io.lifeboat.backup.artifact.KeepNewestRequest;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.wal.MemoryStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GFS on the count-kept kinds (application and configuration backups): half a year of daily
 * backups, retention after each as the workflow runs it, and exactly the expected set left.
 * The expected set is written out by hand from the calendar, not computed by GfsSelection.
 */
class GfsEveryKindTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final String ROOT = "p/app/web/";

  static String id(LocalDate d) {
    return RepositoryLayout.uniqueAppBackupId(d.atTime(2, 0).toInstant(ZoneOffset.UTC)
        .toEpochMilli(), "run" + d.getDayOfYear() + "xxxxxxxx", "1a2b3c4d");
  }

  static List<String> simulate(RetentionConfig.Keep gfs, int keep) {
    MemoryStore store = new MemoryStore();
    for (LocalDate d = LocalDate.of(2026, 1, 1); !d.isAfter(LocalDate.of(2026, 6, 30));
        d = d.plusDays(1)) {
      store.put(ROOT + id(d) + "/app.tar.gz", new byte[] {1}, "x");
      store.put(ROOT + id(d) + "/manifest.json", new byte[] {2}, "x");
      ArchiveActivitiesImpl.keepNewest(store, new KeepNewestRequest(REPO, ROOT, keep, gfs,
          gfs == null ? null : "UTC"));
    }
    List<String> left = new ArrayList<>(Retention.directories(store, ROOT).keySet());
    return left;
  }

  static List<String> ids(String... dates) {
    List<String> out = new ArrayList<>();
    for (String d : dates) out.add(id(LocalDate.parse(d)));
    return out;
  }

  @Test
  void halfAYearOfDailyBackupsLeavesExactlyTheGfsSet() {
    // 2026-06-30 is a Tuesday. keep 3: Jun 28-30. daily 7: Jun 24-30. weekly 4 (ISO weeks,
    // newest of each): Jun 30, Sun Jun 28, Sun Jun 21, Sun Jun 14. monthly 6: the last day of
    // each month Jan-Jun. yearly 2: 2026's newest (Jun 30); 2025 holds none and is skipped.
    assertEquals(ids("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
            "2026-06-14", "2026-06-21", "2026-06-24", "2026-06-25", "2026-06-26", "2026-06-27",
            "2026-06-28", "2026-06-29", "2026-06-30"),
        simulate(new RetentionConfig.Keep(7, 4, 6, 2), 3));
  }

  @Test
  void withoutGfsTheCountAloneDecidesAsBefore() {
    assertEquals(ids("2026-06-28", "2026-06-29", "2026-06-30"), simulate(null, 3));
  }
}
