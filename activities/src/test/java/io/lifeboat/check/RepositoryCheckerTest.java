package io.lifeboat.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.check.CheckRequest;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.SourceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freshness and retention compliance, judged on backup times alone. */
class RepositoryCheckerTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z"); // a Saturday
  private static final CheckSource DB = new CheckSource("db-full", "farmtally_production");

  private static SourceCheck judge(ChecksConfig limits, List<Instant> times,
      List<RepositoryChecker.Finding> findings) {
    return RepositoryChecker.judge(new CheckRequest(List.of(DB), null, limits, "UTC",
        NOW.toEpochMilli(), false), DB, times, findings);
  }

  /** Nightly at 02:00 for {@code days} days up to today, minus the skipped days-ago. */
  private static List<Instant> nightly(int days, int... skippedDaysAgo) {
    List<Instant> times = new ArrayList<>();
    Instant today = Instant.parse("2026-11-21T02:00:00Z");
    outer:
    for (int i = days - 1; i >= 0; i--) {
      for (int s : skippedDaysAgo) if (s == i) continue outer;
      times.add(today.minus(Duration.ofDays(i)));
    }
    return times;
  }

  @Test
  void nightlyBackupsForAMonthPassEverything() {
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    SourceCheck c = judge(new ChecksConfig(null, 25, 7, 4, 0), nightly(30), f);
    assertTrue(c.passed(), c.problems().toString());
    assertEquals(30, c.backups());
    assertEquals("20261121T020000Z", c.newestBackupId());
    assertEquals(8 * 3600, c.newestAgeSeconds());
    assertTrue(f.isEmpty());
  }

  @Test
  void theAgeIsTheRealOneNotTheDifferenceOfTheTwoWholeSeconds() {
    // A unique id's time has milliseconds: 09:00:00.900 is 24h 59m 59.1s before NOW, under the
    // 25 h limit (the two times' whole seconds are 25 h apart).
    Instant newest = Instant.parse("2026-11-20T09:00:00.900Z");
    SourceCheck c = judge(new ChecksConfig(null, 25, 0, 0, 0), List.of(newest), new ArrayList<>());
    assertTrue(c.fresh(), c.problems().toString());
    assertEquals(25 * 3600 - 1, c.newestAgeSeconds());
    // At 09:00:00.000 it is 25 h old to the millisecond: stale, as before.
    c = judge(new ChecksConfig(null, 25, 0, 0, 0), List.of(Instant.parse("2026-11-20T09:00:00Z")),
        new ArrayList<>());
    assertFalse(c.fresh());
    assertEquals(25 * 3600, c.newestAgeSeconds());
    // A time after NOW (another machine's clock) is 0 s old, not negative.
    c = judge(new ChecksConfig(null, 25, 0, 0, 0), List.of(NOW.plusMillis(400)),
        new ArrayList<>());
    assertEquals(0, c.newestAgeSeconds());
  }

  @Test
  void newestOlderThanTheLimitIsStaleAndSaysHowOld() {
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    // nothing today or yesterday: the newest is from 2 days ago at 02:00, 56h before NOW
    SourceCheck c = judge(ChecksConfig.DEFAULT, nightly(30, 0, 1), f);
    assertFalse(c.fresh());
    assertEquals("farmtally_production (db-full): newest backup 20261119T020000Z is 56.0h old"
        + " (limit 25h)", c.problems().get(0));
    // yesterday is also a missing day for retention
    assertFalse(c.retentionCompliant());
    assertTrue(c.problems().get(1).contains("day 2026-11-20"), c.problems().toString());
  }

  @Test
  void aMissingDayInTheMiddleBreaksDailyComplianceOnly() {
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    SourceCheck c = judge(ChecksConfig.DEFAULT, nightly(30, 3), f);
    assertTrue(c.fresh());
    assertFalse(c.retentionCompliant());
    assertEquals(List.of("farmtally_production (db-full): no backup for day 2026-11-18"
        + " (required: 7 daily, 4 weekly, 0 monthly)"), c.problems());
    assertEquals("db-full/farmtally_production:missing:day 2026-11-18", f.get(0).key());
  }

  @Test
  void aWholeMissingWeekAndMonthAreReported() {
    // backups only in October and this week: every day of the week of Nov 9 is missing
    List<Instant> times = new ArrayList<>();
    for (Instant t : nightly(60)) {
      if (t.isBefore(Instant.parse("2026-11-01T00:00:00Z"))
          || !t.isBefore(Instant.parse("2026-11-16T00:00:00Z"))) {
        times.add(t);
      }
    }
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    SourceCheck c = judge(new ChecksConfig(null, 25, 3, 4, 2), times, f);
    assertTrue(c.fresh());
    assertFalse(c.retentionCompliant());
    String p = c.problems().get(0);
    assertTrue(p.contains("week of 2026-11-09") && p.contains("week of 2026-11-02"), p);
    assertFalse(p.contains("week of 2026-10-26"), "Oct 26 - Nov 1 has October backups: " + p);
    assertFalse(p.contains("month 2026"), "October has backups: " + p);
  }

  @Test
  void periodsBeforeTheFirstBackupAreNotDueYet() {
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    SourceCheck c = judge(new ChecksConfig(null, 25, 7, 4, 0), nightly(2), f);
    assertTrue(c.passed(), "a new estate with two nightly backups is compliant: " + c.problems());
  }

  @Test
  void noBackupAtAllIsNotFresh() {
    List<RepositoryChecker.Finding> f = new ArrayList<>();
    SourceCheck c = judge(ChecksConfig.DEFAULT, List.of(), f);
    assertFalse(c.passed());
    assertEquals(-1, c.newestAgeSeconds());
    assertEquals("farmtally_production (db-full): no committed backup in the repository",
        c.problems().get(0));
  }

  @Test
  void agesReadAtAGlance() {
    assertEquals("26.5h", RepositoryChecker.hours(26 * 3600 + 1800));
    assertEquals("4d 2h", RepositoryChecker.hours(4 * 86400 + 2 * 3600 + 59));
  }

  /** Unique ids and old ones in one repository: all counted, the newest named as stored. */
  @Test
  void checkReadsBothIdShapesAndNamesTheNewestAsStored() {
    var store = new io.lifeboat.wal.MemoryStore();
    var repo = new io.lifeboat.config.RepositoryConfig("http://127.0.0.1:9000", "b", "p", null,
        null, "A", "S", "AES256", "STANDARD", null, null, null);
    for (String id : List.of("20261120T020000Z", "20261121T020000Z.500-abcdef12",
        "20261121T020000Z.100-ffffffff", "20261121T020000Z")) {
      store.put(io.lifeboat.repository.RepositoryLayout.manifestKey(repo.prefix(),
          DB.name(), id), ("{\"backupId\":\"" + id + "\",\"database\":\"" + DB.name() + "\"}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }
    var report = new RepositoryChecker().check(store, new CheckRequest(List.of(DB), repo,
        new ChecksConfig(null, 25, 0, 0, 0), "UTC", NOW.toEpochMilli(), false));
    SourceCheck c = report.sources().get(0);
    assertEquals(4, c.backups(), c.toString());
    assertEquals("20261121T020000Z.500-abcdef12", c.newestBackupId());
    assertEquals(8 * 3600 - 1, c.newestAgeSeconds(), "02:00:00.500 to 10:00:00 is 7h 59m 59.5s");
    assertTrue(c.fresh(), c.toString());
  }
}
