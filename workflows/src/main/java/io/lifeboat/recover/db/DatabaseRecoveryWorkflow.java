package io.lifeboat.recover.db;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Recovers one database, as the runbook does by hand: assess, stop the application, restore
 * (the newest dump, or a base backup plus WAL replay to a target), verify, swap the recovered
 * copy in, restart the application, check its health. Run with the workflow id
 * {@code recover-db-NAME}, so a second recovery of the same database is refused by Temporal.
 */
@WorkflowInterface
public interface DatabaseRecoveryWorkflow {

  static String workflowId(String database) {
    return "recover-db-" + database;
  }

  @WorkflowMethod
  RecoveryResult recover(RecoveryRequest request);

  /** Current step, time used against the RTO, each finished step's time. */
  @QueryMethod
  RecoveryProgress progress();
}
