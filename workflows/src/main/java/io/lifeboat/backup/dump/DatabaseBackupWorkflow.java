package io.lifeboat.backup.dump;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The nightly full backup of one database: dump, store, verify, commit, expire. */
@WorkflowInterface
public interface DatabaseBackupWorkflow {
  String ID_KIND = "backup-db";

  /**
   * {@code backup-db-ESTATE-NAME}: the nightly schedule's id, and the base of every run's id
   * (a schedule appends its fire time, a run by hand {@link WorkflowIds#MANUAL}).
   */
  static String workflowId(String estate, String database) {
    return WorkflowIds.of(ID_KIND, estate, database);
  }

  /** {@code backup-db-NAME}: the schedule and base id before the estate was in it. */
  static List<String> legacyIds(String estate, String database) {
    return WorkflowIds.olderThan(workflowId(estate, database), ID_KIND + "-" + database);
  }

  /** The request a run by hand and the schedule both start, from the estate's config. */
  static DatabaseBackupRequest request(LifeboatConfig c, DatabaseConfig db) {
    return new DatabaseBackupRequest(db, c.repository(), c.compression(),
        c.retention().fullDays(), c.retries(), NotificationTarget.of(c), c.offsite(),
        c.retention().keep(), c.retention().keep() != null ? c.schedules().timezone() : null);
  }


  @WorkflowMethod
  BackupResult backup(DatabaseBackupRequest request);

  /** Where the backup is now; the CLI's progress line reads it. */
  @QueryMethod
  BackupStatus status();
}
