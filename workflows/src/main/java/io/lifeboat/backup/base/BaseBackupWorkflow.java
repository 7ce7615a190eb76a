package io.lifeboat.backup.base;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A physical base backup of one cluster: stream, verify with pg_verifybackup, commit, expire. */
@WorkflowInterface
public interface BaseBackupWorkflow {

  @WorkflowMethod
  BaseBackupResult backup(BaseBackupRequest request);

  @QueryMethod
  BaseBackupStatus status();
}
