package io.lifeboat.cli.backup;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_FULL;

import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** How a database backup is started, the same way by hand and by a schedule. */
public final class BackupPlans {
  private BackupPlans() {}

  /**
   * The schedule's id, and the base of every run's id (schedules append the scheduled time, so
   * each nightly run has its own): {@code DatabaseBackupWorkflow}'s, with the estate.
   */
  public static String workflowIdBase(LifeboatConfig c, DatabaseConfig db) {
    return DatabaseBackupWorkflow.workflowId(c.estate(), db.name());
  }

  public static WorkflowOptions.Builder options(LifeboatConfig c, DatabaseConfig db, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(DATABASE, db.name()).set(KIND, KIND_DB_FULL).build());
  }
}
