package io.lifeboat.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DumpRetentionProbe;
import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.repository.Retention;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.check.CheckRequest;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.SourceCheck;
import io.lifeboat.repository.RepositoryLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks never blame GFS retention for what it deleted: a dump every night for 500 nights,
 * retention after each, the check between each pair, with GFS keep counts the config loader
 * accepts for the checks (daily+1, weekly+1, monthly+1) and a fullDays too short to help.
 */
class GfsChecksAgreementTest {
  static final String ROOT = "p/db/app/full/";
  static final ChecksConfig CHECKS = new ChecksConfig(null, 25, 7, 4, 12);
  static final RetentionConfig.Keep KEEP = new RetentionConfig.Keep(8, 5, 13, 1);

  /** Missing-period problems seen over the run, with the zone retention counted periods in. */
  static List<String> run(String checksZone, String retentionZone) {
    MemoryStore store = new MemoryStore();
    // 00:30 in Berlin: the previous day in UTC, so UTC and Berlin periods disagree at edges
    ZonedDateTime first = ZonedDateTime.of(2025, 1, 1, 0, 30, 0, 0, ZoneId.of("Europe/Berlin"));
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Instant t = first.plusDays(i).toInstant();
      String id = RepositoryLayout.uniqueBackupId(t.toEpochMilli(), "r" + i);
      store.put(ROOT + id + "/dump.pgc.zst", new byte[] {1}, "x");
      store.put(ROOT + id + "/manifest.json", new byte[] {2}, "x");
      DumpRetentionProbe.retention(store, 1, t.plusSeconds(60), KEEP, retentionZone);
      Instant checkAt = t.plus(Duration.ofHours(12));
      List<Instant> times = Retention.directories(store, ROOT).keySet().stream()
          .map(k -> RepositoryLayout.backupTime(k).orElseThrow()).toList();
      SourceCheck c = RepositoryChecker.judge(new CheckRequest(List.of(), DumpRetentionProbe.REPO,
          CHECKS, checksZone, checkAt.toEpochMilli(), false), new CheckSource("db-full", "app"),
          times, new ArrayList<>());
      if (!c.retentionCompliant()) problems.add(checkAt + " " + c.problems());
    }
    return problems;
  }

  @Test
  void gfsInTheChecksZoneNeverFailsThem() {
    assertEquals(List.of(), run("Europe/Berlin", "Europe/Berlin"));
    assertEquals(List.of(), run("UTC", "UTC"));
  }

  @Test
  void periodsCountedInAnotherZoneWouldFailThem() {
    // Why retention takes schedules.timezone: UTC months end an hour before Berlin's.
    assertTrue(!run("Europe/Berlin", "UTC").isEmpty());
  }
}
