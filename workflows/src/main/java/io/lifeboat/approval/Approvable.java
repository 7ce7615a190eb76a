package io.lifeboat.approval;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import java.util.List;

/**
 * A workflow with human steps. Its {@code @WorkflowInterface} extends this one and its
 * implementation delegates the three methods to a {@link HumanGate}:
 *
 * <pre>{@code
 * private final HumanGate gate = new HumanGate(steps);
 * public Approval approve(ApprovalRequest r) { return gate.approve(r); }
 * public void validateApprove(ApprovalRequest r) { gate.validate(r); }
 * public List<WaitingStep> waitingSteps() { return gate.waitingSteps(); }
 * public List<Approval> approvals() { return gate.approvals(); }
 * }</pre>
 *
 * <p>Approvals are Updates, not signals: the validator rejects a step that is not waiting, an
 * unnamed approver or a second approval before anything is written to history, and the caller
 * gets the reason as one line. Clients call it untyped by {@link #UPDATE_NAME}.
 */
public interface Approvable {
  String UPDATE_NAME = "approve";
  String QUERY_WAITING = "waitingSteps";
  String QUERY_APPROVALS = "approvals";

  @UpdateMethod(name = UPDATE_NAME)
  Approval approve(ApprovalRequest request);

  /** Throws IllegalArgumentException with a one-line reason to reject; changes nothing. */
  @UpdateValidatorMethod(updateName = UPDATE_NAME)
  void validateApprove(ApprovalRequest request);

  @QueryMethod(name = QUERY_WAITING)
  List<WaitingStep> waitingSteps();

  /** Every approval so far, in the order they were given. */
  @QueryMethod(name = QUERY_APPROVALS)
  List<Approval> approvals();
}
