package io.lifeboat.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffsiteRetentionPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-21T03:00:00Z");

  @Test
  void keepsRecentOnesAndTheNewestOfEachRecentMonth() {
    List<String> ids = List.of(
        "20260715T020000Z", "20260720T020000Z",   // July: beyond 3 months
        "20260905T020000Z", "20260929T020000Z",   // September: newest kept
        "20261002T020000Z", "20261030T020000Z",   // October: newest kept
        "20261110T020000Z", "20261120T020000Z");  // November: younger than 14 days
    assertEquals(List.of("20260715T020000Z", "20260720T020000Z", "20260905T020000Z",
            "20261002T020000Z"),
        OffsiteRetentionPolicy.expire(ids, NOW, 14, 3));
  }

  @Test
  void theNewestIsNeverExpiredHoweverOld() {
    assertEquals(List.of("20200101T020000Z"), OffsiteRetentionPolicy.expire(
        List.of("20200102T020000Z", "20200101T020000Z"), NOW, 1, 0));
  }

  @Test
  void idsWithACommitSuffixParseAndUnknownOnesAreKept() {
    assertEquals(List.of("20250101T020000Z-1a2b3c4d"), OffsiteRetentionPolicy.expire(
        List.of("20250101T020000Z-1a2b3c4d", "not-a-backup-id", "20261121T020000Z-deadbeef"),
        NOW, 30, 0));
  }

  /** Unique ids (time to the ms + run piece) beside the old ones: both expire by their time. */
  @Test
  void oldAndUniqueIdsTogether() {
    List<String> ids = List.of(
        "20260715T020000Z", "20260720T020000Z.123-5b3c9e1f",            // July: beyond 3 months
        "20260929T020000Z", "20260929T020000Z.001-a1f2e3d4",            // September: the unique one is newer
        "20261030T020000Z.500-00000000-1a2b3c4d", "20261030T020000Z",  // October: the unique app id
        "20261120T020000Z.000-ffffffff", "20261120T020000Z");           // November: young
    assertEquals(List.of("20260715T020000Z", "20260720T020000Z.123-5b3c9e1f", "20260929T020000Z",
            "20261030T020000Z"),
        OffsiteRetentionPolicy.expire(ids, NOW, 14, 3));
  }

  @Test
  void nothingToDoOnAnEmptyList() {
    assertEquals(List.of(), OffsiteRetentionPolicy.expire(List.of(), NOW, 30, 12));
  }
}
