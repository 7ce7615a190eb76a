package io.lifeboat.recover.mariadb;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Puts a stored mariadb-dump back into its server, the damaged databases kept. */
@WorkflowInterface
public interface MariaDbRecoveryWorkflow {
  @WorkflowMethod
  MariaDbRecoveryResult recover(MariaDbRecoveryRequest request);

  @QueryMethod
  String step();
}
