package io.lifeboat.cli.backup;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_FULL;

import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.backup.dump.DatabaseBackupRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** How a database backup is started, the same way by hand and by a schedule. */
public final class BackupPlans {
  private BackupPlans() {}

  public static DatabaseBackupRequest request(LifeboatConfig c, DatabaseConfig db) {
    return new DatabaseBackupRequest(db, c.repository(), c.compression(),
        c.retention().fullDays(), c.retries(), MonitoringPlans.notifications(c), c.offsite(),
        c.retention().keep(), c.retention().keep() != null ? c.schedules().timezone() : null);
  }

  /** Schedules append the scheduled time to this id, so each nightly run has its own. */
  public static String workflowIdBase(DatabaseConfig db) {
    return "backup-db-" + db.name();
  }

  public static String scheduleId(DatabaseConfig db) {
    return "backup-db-" + db.name();
  }

  public static WorkflowOptions.Builder options(LifeboatConfig c, DatabaseConfig db, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(DATABASE, db.name()).set(KIND, KIND_DB_FULL).build());
  }
}
