package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a recovery reads from, what its report says, and archiving after the offsite. */
class RecoveryRequestSourceTest {
  private static final RepositoryConfig OFFSITE = new RepositoryConfig("http://127.0.0.1:9100",
      "farmtally-offsite", "lifeboat", null, null, "A", "B", null, null, null, null, null);

  private static DatabaseConfig db(List<String> settings) {
    return new DatabaseConfig("farmtally", "127.0.0.1", 5432, "lifeboat", null, null, List.of(),
        new DatabaseConfig.RecoveryConfig("/data", null, null, null, null, settings));
  }

  @Test
  void theOldShapeReadsFromThePrimaryAndKeepsItsSettings() {
    DatabaseConfig d = db(List.of());
    RecoveryRequest r = new RecoveryRequest(d, OFFSITE, null, 30, "e", null);
    assertEquals("primary", r.sourceName());
    assertSame(d, RecoveryRequest.withoutArchivingUnlessConfigured(d, null));
    assertSame(d, RecoveryRequest.withoutArchivingUnlessConfigured(d, "primary"));
    assertTrue(r.archivingFact().contains("recovered from the primary"), r.archivingFact());
  }

  @Test
  void fromTheOffsiteArchivingIsTurnedOffAndTheReportSaysSo() {
    DatabaseConfig d = RecoveryRequest.withoutArchivingUnlessConfigured(
        db(List.of("work_mem=64MB")), "offsite");
    assertEquals(List.of("work_mem=64MB", "archive_mode=off"), d.recovery().serverSettings());
    RecoveryRequest r = new RecoveryRequest(d, OFFSITE, null, 30, "e", null, null, null, "offsite");
    assertEquals("offsite (http://127.0.0.1:9100, bucket farmtally-offsite, prefix lifeboat)",
        r.describeSource());
    assertTrue(r.archivingFact().startsWith("off (archive_mode=off"), r.archivingFact());
  }

  @Test
  void anOperatorsArchiveCommandStands() {
    DatabaseConfig configured = db(List.of("archive_command = /bin/true"));
    assertSame(configured, RecoveryRequest.withoutArchivingUnlessConfigured(configured, "offsite"));
    RecoveryRequest r = new RecoveryRequest(configured, OFFSITE, null, 30, "e", null, null, null, "offsite");
    assertEquals("as recovery.serverSettings say: archive_command = /bin/true", r.archivingFact());
  }
}
