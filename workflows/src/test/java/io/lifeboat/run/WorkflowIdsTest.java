package io.lifeboat.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.base.BaseBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.check.RepositoryCheckWorkflow;
import io.lifeboat.drill.DrillWorkflow;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.rollback.ApplicationRollbackWorkflow;
import io.lifeboat.verify.BackupVerificationWorkflow;
import io.lifeboat.wal.WalCheckWorkflow;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one estate rule of workflow and schedule ids, and every interface's use of it. */
class WorkflowIdsTest {
  @Test
  void kindThenEstateThenSubject() {
    assertEquals("backup-db-farmtally-orders", WorkflowIds.of("backup-db", "farmtally", "orders"));
    assertEquals("verify-backups-farmtally", WorkflowIds.of("verify-backups", "farmtally"));
    assertEquals("backup-db-farmtally-orders-manual",
        WorkflowIds.manual(WorkflowIds.of("backup-db", "farmtally", "orders")));
  }

  @Test
  void theEstateIsReducedToIdCharacters() {
    assertEquals("Farm_Tally_2", WorkflowIds.estate("Farm Tally/2"));
    assertEquals("farm.tally_x-1", WorkflowIds.estate("farm.tally_x-1"));
    assertEquals("recover-db-Farm_Tally-orders", WorkflowIds.of("recover-db", "Farm Tally", "orders"));
  }

  @Test
  void anIdNeedsAKindAnEstateAndNonEmptySubjects() {
    assertThrows(IllegalArgumentException.class, () -> WorkflowIds.of("backup-db", "", "x"));
    assertThrows(IllegalArgumentException.class, () -> WorkflowIds.of("backup-db", null));
    assertThrows(IllegalArgumentException.class, () -> WorkflowIds.of("", "e"));
    assertThrows(IllegalArgumentException.class, () -> WorkflowIds.of("backup-db", "e", ""));
  }

  @Test
  void olderSpellingsDropTheCurrentOneAndRepeats() {
    assertEquals(List.of("a-x"), WorkflowIds.olderThan("a-e-x", "a-x", "a-e-x", "a-x"));
    assertEquals(List.of(), WorkflowIds.olderThan("a-e-x", "a-e-x"));
  }

  /** Two estates sharing a namespace, with the same database, application and drill names. */
  @Test
  void everyIdNamesTheEstateSoTwoEstatesNeverCollide() {
    List<Function<String, String>> ids = List.of(
        e -> DatabaseBackupWorkflow.workflowId(e, "orders"),
        e -> BaseBackupWorkflow.workflowId(e, "orders"),
        e -> WalCheckWorkflow.workflowId(e, "orders"),
        e -> DatabaseRecoveryWorkflow.workflowId(e, "orders"),
        e -> ApplicationBackupWorkflow.workflowId(e, "web"),
        e -> ApplicationRollbackWorkflow.workflowId(e, "web"),
        e -> ConfigurationBackupWorkflow.workflowId(e),
        e -> BackupVerificationWorkflow.workflowId(e),
        e -> RepositoryCheckWorkflow.workflowId(e),
        e -> OffsiteCopyWorkflow.syncWorkflowId(e),
        e -> DrillWorkflow.workflowIdBase(e, "monthly"),
        e -> DrillWorkflow.scheduleId(e, "monthly"));
    for (var id : ids) {
      String north = id.apply("north");
      assertNotEquals(north, id.apply("south"));
      assertTrue(north.contains("-north"), north);
    }
  }

  /** The ids as operators know them (runbooks, e2e tests, schedules already created). */
  @Test
  void theSpellingsOfTheEstatesIds() {
    assertEquals("backup-db-farmtally-orders", DatabaseBackupWorkflow.workflowId("farmtally", "orders"));
    assertEquals("backup-base-farmtally-orders", BaseBackupWorkflow.workflowId("farmtally", "orders"));
    assertEquals("wal-check-farmtally-orders", WalCheckWorkflow.workflowId("farmtally", "orders"));
    assertEquals("recover-db-farmtally-orders", DatabaseRecoveryWorkflow.workflowId("farmtally", "orders"));
    // unchanged for an estate already written in id characters: no schedule is renamed
    assertEquals("backup-app-farmtally-web", ApplicationBackupWorkflow.workflowId("farmtally", "web"));
    assertEquals("rollback-app-farmtally-web", ApplicationRollbackWorkflow.workflowId("farmtally", "web"));
    assertEquals("backup-config-farmtally", ConfigurationBackupWorkflow.workflowId("farmtally"));
    assertEquals("verify-backups-farmtally", BackupVerificationWorkflow.workflowId("farmtally"));
    assertEquals("check-backups-farmtally", RepositoryCheckWorkflow.workflowId("farmtally"));
    assertEquals("offsite-sync-farmtally", OffsiteCopyWorkflow.syncWorkflowId("farmtally"));
    assertEquals("drill-quarterly-farmtally", DrillWorkflow.workflowIdBase("farmtally", "quarterly"));
    assertEquals("schedule-drill-quarterly-farmtally", DrillWorkflow.scheduleId("farmtally", "quarterly"));
  }

  /** What `schedules apply` retires and what a start still refuses behind. */
  @Test
  void theOlderIdsAreStillNamed() {
    assertEquals(List.of("backup-db-orders"), DatabaseBackupWorkflow.legacyIds("farmtally", "orders"));
    assertEquals(List.of("backup-base-orders"), BaseBackupWorkflow.legacyIds("farmtally", "orders"));
    assertEquals(List.of("wal-check-orders"), WalCheckWorkflow.legacyIds("farmtally", "orders"));
    assertEquals(List.of("recover-db-orders"), DatabaseRecoveryWorkflow.legacyIds("farmtally", "orders"));
    assertEquals(List.of("backup-app-web"), ApplicationBackupWorkflow.legacyIds("farmtally", "web"));
    assertEquals(List.of(), ConfigurationBackupWorkflow.legacyIds("farmtally"));
    assertEquals(List.of(), ApplicationRollbackWorkflow.legacyIds("farmtally", "web"));
    assertEquals(List.of(), DrillWorkflow.legacyScheduleIds("farmtally", "monthly"));
    // an estate with characters ids do not keep: its ids as they were spelled before
    assertEquals(List.of("backup-app-web", "backup-app-Farm Tally-web"),
        ApplicationBackupWorkflow.legacyIds("Farm Tally", "web"));
    assertEquals(List.of("backup-config-Farm Tally"), ConfigurationBackupWorkflow.legacyIds("Farm Tally"));
    assertEquals(List.of("rollback-app-Farm Tally-web"),
        ApplicationRollbackWorkflow.legacyIds("Farm Tally", "web"));
    assertEquals(List.of("schedule-drill-monthly-Farm Tally"),
        DrillWorkflow.legacyScheduleIds("Farm Tally", "monthly"));
  }
}
