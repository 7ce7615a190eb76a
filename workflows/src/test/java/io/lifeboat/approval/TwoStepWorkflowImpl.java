package io.lifeboat.approval;

import io.lifeboat.run.StepRecorder;
import io.lifeboat.run.StepTiming;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.config.NotificationsConfig;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public class TwoStepWorkflowImpl implements TwoStepWorkflow {
  private final StepRecorder steps = new StepRecorder();
  private final HumanGate gate = new HumanGate(steps);

  @Override
  public List<StepTiming> run(String approver) {
    gate.notifying(new NotificationTarget(new NotificationsConfig(
        new NotificationsConfig.Webhook("LIFEBOAT_TEST_HOOK"), null), null),
        "test run");
    if (approver != null) gate.approvers(List.of(approver));
    steps.run("prepare", () -> Workflow.sleep(Duration.ofMinutes(1)));
    gate.await("approve-start", "check the target", Duration.ofMinutes(10));
    steps.run("work", () -> Workflow.sleep(Duration.ofMinutes(2)));
    gate.awaitValue("sign-off", "give the new host", Duration.ofMinutes(10));
    return steps.steps();
  }

  @Override
  public Approval approve(ApprovalRequest request) {
    return gate.approve(request);
  }

  @Override
  public void validateApprove(ApprovalRequest request) {
    gate.validate(request);
  }

  @Override
  public List<WaitingStep> waitingSteps() {
    return gate.waitingSteps();
  }

  @Override
  public List<Approval> approvals() {
    return gate.approvals();
  }
}
