package io.lifeboat.recover.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.MariaDbConfig;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a physical recovery puts the copy and the damaged directory: beside the data dir. */
class MariaDbPhysicalRecoveryNamesTest {
  @Test
  void theCopyAndTheKeptDirectoryAreSiblingsOfTheDataDirectory() {
    MariaDbConfig c = new MariaDbConfig("billing", null, null, null, null, null,
        List.of("billing"), null, null, null, "/var/lib/mysql/", null);
    Path data = MariaDbPhysicalRecoveryActivitiesImpl.dataDir(c);
    assertEquals(Path.of("/var/lib/mysql"), data);
    assertEquals(Path.of("/var/lib/mysql.restore-0a1b2c3d4e5f"),
        MariaDbPhysicalRecoveryActivitiesImpl.restoreDir(data, "0a1b2c3d4e5f"));
    assertEquals(Path.of("/var/lib/mysql.before-20261206T131500Z"),
        MariaDbPhysicalRecoveryActivitiesImpl.keptDir(data,
            Instant.parse("2026-12-06T13:15:00.123Z").toEpochMilli()));
  }

  @Test
  void noDataDirIsOneLine() {
    MariaDbConfig c = new MariaDbConfig("billing", null, null, null, null, null,
        List.of("billing"), null);
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> MariaDbPhysicalRecoveryActivitiesImpl.dataDir(c));
    assertTrue(f.getOriginalMessage().contains("has no dataDir"), f.getOriginalMessage());
    assertEquals(1, f.getOriginalMessage().lines().count());
  }
}
