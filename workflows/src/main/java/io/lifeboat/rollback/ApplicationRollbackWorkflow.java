package io.lifeboat.rollback;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The seed's Scenario 3: broken application code, back to the previous release in 15 min. */
@WorkflowInterface
public interface ApplicationRollbackWorkflow {

  @WorkflowMethod
  RollbackResult rollback(ApplicationRollbackRequest request);

  @QueryMethod
  RollbackProgress progress();
}
