package io.lifeboat.wal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Every 6 hours and on demand: force a switch, check continuity, record the achieved RPO. */
@WorkflowInterface
public interface WalCheckWorkflow {
  @WorkflowMethod
  WalCheckResult check(WalCheckRequest request);
}
