package io.lifeboat.backup.mariadb;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One MariaDB logical backup: assess, dump and store, restore into a scratch server, commit. */
@WorkflowInterface
public interface MariaDbBackupWorkflow {

  @WorkflowMethod
  MariaDbBackupResult backup(MariaDbBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
