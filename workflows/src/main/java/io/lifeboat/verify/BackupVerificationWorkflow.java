package io.lifeboat.verify;

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

  @WorkflowMethod
  VerificationReport verify(VerificationRequest request);

  /** Results so far, for the CLI's progress. */
  @QueryMethod
  List<VerificationResult> progress();
}
