package io.lifeboat.drill;

import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.recover.server.HttpsCheck;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.lifeboat.recover.server.ServerRecoveryRequest;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.recover.server.ServerRecoveryWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the real server recovery as the drill's child: waits for the provisioning
 * approval (with an address) as the real one does, takes ten machine minutes, then succeeds or
 * fails on request. The real one is tested in ServerRecoveryWorkflowTest and end to end.
 */
public class FakeServerRecovery implements ServerRecoveryWorkflow {
  static final List<String> started = new CopyOnWriteArrayList<>();
  static volatile boolean fail;

  private final StepRecorder steps = new StepRecorder();
  private final HumanGate gate = new HumanGate(steps);

  @Override
  public ServerRecoveryResult recover(ServerRecoveryRequest r) {
    // Recorded once per run, not per replay: under load the test worker may evict the child
    // from its cache and replay it from the start, which runs this line again.
    if (!Workflow.isReplaying()) {
      started.add(Workflow.getInfo().getWorkflowId() + " " + r.target().name() + " "
          + r.database().name() + " " + r.application().name() + " rto " + r.rtoMinutes());
    }
    Approval a = gate.awaitValue(STEP_PROVISION, "provision " + r.target().name(),
        Duration.ofMinutes(15));
    steps.run("configure", () -> {
      Workflow.sleep(Duration.ofMinutes(10));
      return null;
    });
    if (fail) {
      throw FailureKind.ANSIBLE_FAILED.failure("ansible-playbook exited 2 on " + a.value());
    }
    return new ServerRecoveryResult(r.target().name(), a.value(), r.target().url(), "met",
        Duration.ofMinutes(10).toMillis(), 0, steps.steps(),
        new HttpsCheck(true, List.of("200 " + r.target().url() + "/api/health"),
            "users=2000 tallies=100000"), null, null);
  }

  @Override
  public ServerRecoveryProgress progress() {
    return null;
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
