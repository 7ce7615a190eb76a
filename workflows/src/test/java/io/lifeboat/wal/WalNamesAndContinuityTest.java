package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.repository.RepositoryLayout;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WalNamesAndContinuityTest {
  static final long SEG = 16L * 1024 * 1024;

  @Test
  void segmentArithmeticMatchesPostgres() {
    // 16 MiB segments: 256 per "log"; 0/FF000000 is the last of log 0.
    assertEquals("0000000100000000000000FF", WalNames.segmentOf(1, "0/FF000028", SEG));
    assertEquals("000000010000000100000000", WalNames.next("0000000100000000000000FF", SEG));
    assertEquals("00000002000000160000003A", WalNames.segmentOf(2, "16/3A1B2C3D", SEG));
    assertEquals(0x16L * 256 + 0x3A, WalNames.segmentNumber("00000002000000160000003A", SEG));
    // An end LSN on a boundary needs only the segment before it.
    assertEquals("000000010000000000000004", WalNames.segmentBefore(1, "0/5000000", SEG));
    assertEquals("000000010000000000000005", WalNames.segmentBefore(1, "0/5000100", SEG));
    assertEquals("16/B374D848", WalNames.formatLsn(WalNames.parseLsn("16/B374D848")));
    // 64 MiB segments: 64 per log.
    assertEquals("00000001000000000000003F", WalNames.segmentOf(1, "0/FC000000", 4 * SEG));
  }

  @Test
  void layoutPutsSegmentsUnderTheirTimelineAndHistoryAtTheRoot() {
    assertEquals("p/wal/db/00000002/000000020000000000000003.zst",
        RepositoryLayout.walKey("p", "db", "000000020000000000000003"));
    assertEquals("p/wal/db/00000002.history.zst",
        RepositoryLayout.walKey("p", "db", "00000002.history"));
    assertEquals("p/wal/db/00000001/000000010000000000000003.00000028.backup.zst",
        RepositoryLayout.walKey("p", "db", "000000010000000000000003.00000028.backup"));
    assertEquals("p/wal/db/00000001/000000010000000000000003.partial.zst",
        RepositoryLayout.walKey("p", "db", "000000010000000000000003.partial"));
    assertThrows(IllegalArgumentException.class,
        () -> RepositoryLayout.walKey("p", "db", "../etc/passwd"));
    assertThrows(IllegalArgumentException.class,
        () -> RepositoryLayout.walKey("p", "db", "00000001000000000000000g"));
  }

  @Test
  void continuousSingleTimeline() {
    Set<String> archived = Set.of("000000010000000000000003", "000000010000000000000004",
        "000000010000000000000005");
    WalContinuity.Result r = WalContinuity.check(archived, 3, 5, 1, List.of(), SEG);
    assertEquals(0, r.missingCount());
    assertEquals(3, r.checked());
  }

  @Test
  void gapIsFoundAndNamed() {
    Set<String> archived = Set.of("000000010000000000000003", "000000010000000000000005");
    WalContinuity.Result r = WalContinuity.check(archived, 3, 5, 1, List.of(), SEG);
    assertEquals(1, r.missingCount());
    assertEquals(List.of("000000010000000000000004"), r.missing());
  }

  @Test
  void timelineSwitchIsFollowedThroughTheHistoryFile() {
    // Timeline 2 branched from 1 inside segment 5: segments up to 4 come from timeline 1,
    // segment 5 (holding the switch point) and later from timeline 2.
    List<WalContinuity.Switch> history =
        WalContinuity.parseHistory("1\t0/5000100\tno recovery target specified\n");
    Set<String> archived = Set.of("000000010000000000000003", "000000010000000000000004",
        "000000010000000000000005.partial", "000000020000000000000005",
        "000000020000000000000006");
    WalContinuity.Result r = WalContinuity.check(archived, 3, 6, 2, history, SEG);
    assertEquals(0, r.missingCount(), r.missing().toString());
    // Timeline 1's copy of segment 6 would not do: recovery reads timeline 2 there.
    Set<String> wrongBranch = Set.of("000000010000000000000003", "000000010000000000000004",
        "000000020000000000000005", "000000010000000000000006");
    WalContinuity.Result bad = WalContinuity.check(wrongBranch, 3, 6, 2, history, SEG);
    assertEquals(List.of("000000020000000000000006"), bad.missing());
  }

  @Test
  void archivableNames() {
    assertTrue(WalNames.isArchivable("00000002.history"));
    assertTrue(WalNames.isArchivable("000000010000000000000003.00000028.backup"));
    assertTrue(!WalNames.isArchivable("RECOVERYXLOG"));
  }
}
