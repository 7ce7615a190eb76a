package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The daily proof that backups restore: for each source, the newest backup is downloaded,
 * checked against its manifest, restored into a scratch database and queried. The run
 * completes (with {@link VerificationReport#passed()} false) when a backup fails: the failure is
 * the result, recorded beside the backup, in the metrics and in a notification.
 */
@WorkflowInterface
public interface BackupVerificationWorkflow {
  String ID_KIND = "verify-backups";

  /** {@code verify-backups-ESTATE}: the daily schedule's id and the base of its runs' ids. */
  static String workflowId(String estate) {
    return WorkflowIds.of(ID_KIND, estate);
  }

  static VerificationRequest request(LifeboatConfig c, List<DatabaseConfig> dbs,
      boolean restore) {
    return new VerificationRequest(dbs, c.repository(), restore, c.retries(),
        NotificationTarget.of(c), c.verification().parallel());
  }


  @WorkflowMethod
  VerificationReport verify(VerificationRequest request);

  /** Results so far, for the CLI's progress. */
  @QueryMethod
  List<VerificationResult> progress();
}
