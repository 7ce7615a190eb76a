package io.lifeboat.backup.base;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.offsite.OffsiteTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** A physical base backup of one cluster: stream, verify with pg_verifybackup, commit, expire. */
@WorkflowInterface
public interface BaseBackupWorkflow {
  String ID_KIND = "backup-base";

  /** {@code backup-base-ESTATE-NAME}: the weekly schedule's id and the base of its runs' ids. */
  static String workflowId(String estate, String database) {
    return WorkflowIds.of(ID_KIND, estate, database);
  }

  /** {@code backup-base-NAME}: before the estate was in it. */
  static List<String> legacyIds(String estate, String database) {
    return WorkflowIds.olderThan(workflowId(estate, database), ID_KIND + "-" + database);
  }

  static BaseBackupRequest request(LifeboatConfig c, DatabaseConfig db) {
    return new BaseBackupRequest(db, c.repository(), c.compression(), c.wal(), c.retries(),
        OffsiteTarget.of(c.offsite(), NotificationTarget.of(c)), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        NotificationTarget.of(c));
  }


  @WorkflowMethod
  BaseBackupResult backup(BaseBackupRequest request);

  @QueryMethod
  BaseBackupStatus status();
}
