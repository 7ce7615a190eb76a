package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.repository.Retention;
import io.lifeboat.wal.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GFS on base backups, and the WAL they keep: fifty-one days of daily base backups with WAL
 * between them, retention after each. A base backup only GFS keeps keeps its own span of WAL
 * (start to stop segment), not the weeks after it; the window the count and days keep keeps
 * its WAL continuously.
 */
class BaseGfsRetentionTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final String ROOT = "p/db/app/base/";
  static final LocalDate FIRST = LocalDate.of(2026, 1, 1);

  static String seg(long n) {
    return String.format("00000001%08X%08X", n / 256, n % 256);
  }

  static String id(LocalDate d) {
    return RepositoryLayout.backupId(d.atTime(3, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  @Test
  void gfsKeepsOldBasesWithTheirOwnWalSpanOnly() {
    MemoryStore store = new MemoryStore();
    String walRoot = "p/wal/app/";
    store.put(walRoot + "00000001.history.zst", new byte[] {1}, "x");
    WalConfig wal = new WalConfig(null, null, 2, 3, null, null, null, null);
    RetentionConfig.Keep gfs = new RetentionConfig.Keep(0, 0, 2, 0);
    LocalDate last = LocalDate.of(2026, 2, 20);
    for (LocalDate d = FIRST; !d.isAfter(last); d = d.plusDays(1)) {
      long i = d.toEpochDay() - FIRST.toEpochDay();
      // day i: the base backup starts and stops in segment 2i+1, the day's traffic fills 2i+2
      String start = seg(2 * i + 1);
      store.put(RepositoryLayout.walKey("p", "app", start), new byte[] {1}, "x");
      store.put(RepositoryLayout.walKey("p", "app", start + ".00000028.backup"), new byte[] {1},
          "x");
      store.put(ROOT + id(d) + "/base.tar.zst", new byte[] {1}, "x");
      String finished = d.atTime(3, 10).toInstant(ZoneOffset.UTC).toString();
      store.put(ROOT + id(d) + "/manifest.json", ("{\"backupId\":\"" + id(d)
          + "\",\"finishedAt\":\"" + finished + "\",\"startWalSegment\":\"" + start
          + "\",\"stopWalSegment\":\"" + start + "\",\"walSegmentSize\":16777216}")
          .getBytes(StandardCharsets.UTF_8), "x");
      BaseRetention.apply(store, new BaseRetentionRequest(REPO, "app", wal,
          d.atTime(3, 20).toInstant(ZoneOffset.UTC).toEpochMilli(), gfs, "UTC"));
      store.put(RepositoryLayout.walKey("p", "app", seg(2 * i + 2)), new byte[] {1}, "x");
    }
    // Feb 20 03:20: days 3 keep Feb 18-20 (Feb 17 finished 3 days and 10 minutes before),
    // count 2 keeps Feb 19-20, monthly 2 keeps Feb 20 and Jan 31 (GFS only).
    assertEquals(List.of(id(LocalDate.of(2026, 1, 31)), id(LocalDate.of(2026, 2, 18)),
            id(LocalDate.of(2026, 2, 19)), id(LocalDate.of(2026, 2, 20))),
        new ArrayList<>(Retention.directories(store, ROOT).keySet()));
    // Jan 31 is day 30: its span is segment 61 (and its .backup file); Feb 18 is day 48: WAL
    // from its start, 97, to the newest, 102 (day 50's traffic), stays whole.
    List<String> expected = new ArrayList<>();
    expected.add(walRoot + "00000001.history.zst");
    expected.add(RepositoryLayout.walKey("p", "app", seg(61)));
    expected.add(RepositoryLayout.walKey("p", "app", seg(61) + ".00000028.backup"));
    for (long n = 97; n <= 102; n++) {
      expected.add(RepositoryLayout.walKey("p", "app", seg(n)));
      if (n % 2 == 1) {
        expected.add(RepositoryLayout.walKey("p", "app", seg(n) + ".00000028.backup"));
      }
    }
    List<String> left = new ArrayList<>(store.list(walRoot));
    expected.sort(null);
    left.sort(null);
    assertEquals(expected, left);
  }
}
