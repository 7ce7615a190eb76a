package io.lifeboat.drill;

import io.lifeboat.approval.Approvable;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A DR drill (`lifeboat drill start monthly|quarterly`): restores into isolated targets, the
 * drill lead approves the start and signs off each scenario, cleans up even when it fails, and
 * stores a report judged on the seed's criteria.
 */
@WorkflowInterface
public interface DrillWorkflow extends Approvable {
  String START = "approve-start";
  String SIGN_OFF = "sign-off-";

  @WorkflowMethod
  DrillResult drill(DrillRequest request);

  @QueryMethod
  DrillProgress progress();
}
