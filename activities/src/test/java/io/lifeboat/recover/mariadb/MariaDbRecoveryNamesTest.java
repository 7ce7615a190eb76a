package io.lifeboat.recover.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.mariadb.MariaDbTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbRecoveryNamesTest {
  @Test
  void keptNamesFitMariaDbsSixtyFourCharacters() {
    assertEquals("billing_before_0123456789ab",
        MariaDbRecoveryActivitiesImpl.keptName("billing", "0123456789ab"));
    String kept = MariaDbRecoveryActivitiesImpl.keptName("d".repeat(64), "0123456789ab");
    assertEquals(64, kept.length());
    assertTrue(kept.endsWith("_before_0123456789ab"));
  }

  @Test
  void theFirstDifferenceIsNamed() {
    List<MariaDbTable> manifest = List.of(new MariaDbTable("b.a", 3, 7),
        new MariaDbTable("b.b", 1, 1));
    assertEquals("b.a has 2 rows, checksum 5 (manifest: 3 rows, checksum 7)",
        MariaDbRecoveryActivitiesImpl.firstDifference(manifest, List.of(
            new MariaDbTable("b.a", 2, 5), new MariaDbTable("b.b", 1, 1))));
    assertEquals("table b.b is missing", MariaDbRecoveryActivitiesImpl.firstDifference(
        manifest, List.of(new MariaDbTable("b.a", 3, 7))));
  }
}
