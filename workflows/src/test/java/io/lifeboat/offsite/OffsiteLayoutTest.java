package io.lifeboat.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where copy runs' records go. */
class OffsiteLayoutTest {
  private static final long AT = Instant.parse("2026-11-22T02:00:00.120Z").toEpochMilli();

  @Test
  void copiesStartedInTheSameSecondKeepTheirOwnRecords() {
    // The copies after two backups of one database started together (each backup starts its
    // own copy, named after the backup) start in the same second, even the same millisecond.
    String a = OffsiteLayout.recordKey("p", "db-full", "farmtally",
        AT, "offsite-db-full-farmtally-20261122T020000Z.100-aaaaaaaa");
    String b = OffsiteLayout.recordKey("p", "db-full", "farmtally",
        AT + 700, "offsite-db-full-farmtally-20261122T020000Z.101-bbbbbbbb");
    String c = OffsiteLayout.recordKey("p", "db-full", "farmtally",
        AT, "offsite-db-full-farmtally-20261122T020000Z.101-bbbbbbbb");
    assertNotEquals(a, b);
    assertNotEquals(a, c);
    assertEquals("p/offsite-copies/db-full/farmtally/20261122T020000Z-120-"
        + "offsite-db-full-farmtally-20261122T020000Z.100-aaaaaaaa.json", a);
    assertTrue(a.compareTo(b) < 0, "records sort by their start");
    // A whole second has its .000, and a key stays a plain key whatever the workflow id holds.
    assertEquals("offsite-copies/sync/north/20261122T020000Z-000-offsite-sync_north.json",
        OffsiteLayout.recordKey("", "sync", "north", AT - 120, "offsite-sync/north"));
  }
}
