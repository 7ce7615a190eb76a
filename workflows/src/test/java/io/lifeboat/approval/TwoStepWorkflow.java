package io.lifeboat.approval;

import io.lifeboat.run.StepTiming;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** A test workflow: a machine step, then two human steps in order. */
@WorkflowInterface
public interface TwoStepWorkflow extends Approvable {
  @WorkflowMethod
  List<StepTiming> run(String approver);
}
