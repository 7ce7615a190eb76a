package io.lifeboat.recover.opensearch;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Puts a stored OpenSearch snapshot back into the node's indices. */
@WorkflowInterface
public interface OpenSearchRecoveryWorkflow {
  @WorkflowMethod
  OpenSearchRecoveryResult recover(OpenSearchRecoveryRequest request);

  @QueryMethod
  String step();
}
