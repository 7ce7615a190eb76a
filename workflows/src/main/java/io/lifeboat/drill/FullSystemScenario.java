package io.lifeboat.drill;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.recover.server.ServerRecoveryRequest;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.recover.server.ServerRecoveryWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's complete server loss, rehearsed: the whole estate is recovered onto an isolated,
 * non-production server target by {@code ServerRecoveryWorkflow} as a child (its own workflow
 * id, so its human steps, provision and dns, are approved against it as in a real loss), and
 * the target is stopped and wiped afterwards by the compensation, whatever happened.
 */
final class FullSystemScenario {
  private FullSystemScenario() {}

  static ScenarioResult run(DrillRequest r, StepRecorder steps, Compensation comp,
      DrillTargets.ServerPick pick, java.util.function.Consumer<String> childStarted) {
    long rto = r.targets().serverRtoMinutes() * 60_000L;
    int first = steps.steps().size();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> evidence = new ArrayList<>();
    var target = pick.target();
    String childId = ServerRecoveryWorkflow.workflowId(target.name());
    DrillActivities drill = Stubs.of(DrillActivities.class, r.retry(), Duration.ofMinutes(5), false);
    // Registered before the child starts: a target half built by a failed or cancelled
    // recovery is wiped too, and wiping a bare target is fine.
    comp.add("stop and reset server target " + target.name() + " (" + target.root() + ")",
        () -> drill.resetServerTarget(target));
    ServerRecoveryWorkflow child = Workflow.newChildWorkflowStub(ServerRecoveryWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(childId)
            // A drill that ends must not leave a recovery running on its target.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build());
    ServerRecoveryRequest req = new ServerRecoveryRequest(target, pick.database(),
        pick.application(), r.repository(), r.targets().serverRtoMinutes(),
        r.targets().databaseRtoMinutes(), r.estate(), r.retry(), r.notification())
        .withApprovals(r.approvals());
    facts.put("full-system: target", target.name() + " (" + target.root() + "), recovery "
        + childId);
    childStarted.accept(childId);
    try {
      ServerRecoveryResult res = steps.run("full-system: recover server onto " + target.name(),
          () -> child.recover(req));
      facts.put("full-system: url", res.url() + " at " + res.address());
      facts.put("full-system: machine time", Stubs.duration(res.machineMillis())
          + "; waiting for people " + Stubs.duration(res.humanWaitMillis()));
      List<String> human = res.steps().stream().filter(s -> s.humanWaitMillis() > 0)
          .map(s -> s.step() + " after " + Stubs.duration(s.humanWaitMillis())).toList();
      if (!human.isEmpty()) facts.put("full-system: human steps", String.join(", ", human));
      boolean integrity = res.health() != null && res.health().healthy()
          && res.health().data() != null && !res.health().data().isBlank();
      if (res.health() != null) {
        evidence.add("full-system: " + String.join("; ", res.health().checks()));
        evidence.add("full-system: data served from the restored database: "
            + (res.health().data() == null ? "none" : res.health().data()));
      }
      // The server RTO is judged on machine time, as the other scenarios are: the people's
      // waits are recorded apart (they are in the facts and in the child's report).
      return new ScenarioResult(DrillScenarios.FULL_SYSTEM, ScenarioResult.OK,
          "recovered the server onto " + target.name() + " (" + res.url() + ")",
          res.machineMillis(), rto, integrity, evidence, facts);
    } catch (ChildWorkflowFailure | ApplicationFailure e) {
      if (e instanceof ChildWorkflowFailure && e.getCause() instanceof CanceledFailure) throw e;
      return new ScenarioResult(DrillScenarios.FULL_SYSTEM, ScenarioResult.FAILED,
          "server recovery " + childId + " failed: " + FailureMessage.of(e),
          DatabaseScenario.machine(steps, first), rto, false, evidence, facts);
    } finally {
      childStarted.accept(null);
    }
  }
}
