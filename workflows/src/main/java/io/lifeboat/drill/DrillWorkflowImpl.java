package io.lifeboat.drill;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DRILL;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_FAILED;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_SUCCEEDED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_BREACHED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_MET;

import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RunOutcome;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plan (calendar or --scenario), refuse production targets, wait for the lead's go, run each
 * scenario with its clean-up, have each signed off, judge the criteria, store the report.
 *
 * <p>Nothing is skipped silently: a scenario this build cannot run is recorded as failed with
 * its reason; a failed scenario is still cleaned up and still signed off (the lead acknowledges
 * the failure); the drill then fails, after its report is stored.
 */
public class DrillWorkflowImpl implements DrillWorkflow {
  /** Workflow.getVersion id: the full-system scenario runs ServerRecoveryWorkflow (version 1). */
  static final String FULL_SYSTEM_CHANGE = "drill-full-system-scenario";

  private final StepRecorder steps = new StepRecorder();
  private final HumanGate gate = new HumanGate(steps);
  private String kind;
  private int quarter;
  private List<String> scenarios = List.of();
  /** The full-system scenario's server recovery while it runs (the drill lead approves there). */
  private String childWorkflowId;

  @Override
  public DrillResult drill(DrillRequest r) {
    long startedAt = Workflow.currentTimeMillis();
    kind = r.kind();
    quarter = DrillScenarios.quarter(startedAt);
    RunOutcome.running(KIND_DRILL);
    if (!DrillScenarios.KINDS.contains(kind)
        || (r.scenario() != null && !DrillScenarios.NAMES.contains(r.scenario()))) {
      throw ApplicationFailure.newNonRetryableFailure("a drill is monthly or quarterly, its"
          + " scenario one of " + DrillScenarios.NAMES + "; got " + kind + " / " + r.scenario(),
          FailureKind.CONFIG_INVALID.type());
    }
    scenarios = DrillScenarios.plan(r, startedAt);
    // Drills recorded before the full-system scenario was wired planned it as unavailable
    // (a failed step, no commands) and went on; they replay so. New ones mark the version.
    boolean fullSystemWired = !scenarios.contains(DrillScenarios.FULL_SYSTEM)
        || Workflow.getVersion(FULL_SYSTEM_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    // Without a usable server target the full-system scenario cannot run: like an unavailable
    // scenario it is recorded as failed with the reason, and the others still run (a scheduled
    // Q4 drill still tests the database and the application). The CLI refuses it up front.
    DrillTargets.ServerPick server = fullSystemWired
        && scenarios.contains(DrillScenarios.FULL_SYSTEM) ? DrillTargets.serverTarget(r) : null;
    // The random end of the run id (RunKeys) names the scratch database and directory: a
    // monthly and a quarterly drill started in the same minute must not share them. Drills
    // recorded before keep the first 8 characters they used.
    String scratchKey = RunKeys.forThisRun();
    // Before anything runs: a drill never touches production.
    Optional<String> refused = DrillTargets.refusal(r, scenarios, scratchKey);
    if (refused.isPresent()) {
      RunOutcome.ended(OUTCOME_FAILED);
      throw ApplicationFailure.newNonRetryableFailure(refused.get(),
          FailureKind.DRILL_TARGET_IS_PRODUCTION.type());
    }
    gate.notifying(r.notification(), "drill " + kind + " of " + r.estate())
        .approvers(r.drills().approvers()).rules("drill", r.approvals());
    Duration remind = Duration.ofMinutes(r.drills().reminderMinutes());
    String runKey = RunKeys.wholeRun();

    ReportWriter report = DrillReport.writer(r, quarter, scenarios);
    List<ScenarioResult> results = new ArrayList<>();
    List<String> runnable = new ArrayList<>();
    for (String s : scenarios) {
      String why = !DrillScenarios.FULL_SYSTEM.equals(s) ? DrillScenarios.unavailable(s)
          : !fullSystemWired ? DrillScenarios.FULL_SYSTEM_UNWIRED : server.error();
      if (why == null) {
        runnable.add(s);
        continue;
      }
      try {
        steps.run(s + ": not available", () -> {
          throw ApplicationFailure.newNonRetryableFailure(why,
              FailureKind.DRILL_SCENARIO_UNAVAILABLE.type());
        });
      } catch (ApplicationFailure recorded) {
        // recorded as a failed step; the drill fails at the end with this reason
      }
      results.add(new ScenarioResult(s, ScenarioResult.UNAVAILABLE, why, 0,
          DrillScenarios.rtoMillis(r, s), false, List.of(), Map.of()));
      report.note(why + ": the " + s + " scenario did not run");
    }
    try {
      if (!runnable.isEmpty()) {
        gate.await(START, "drill " + kind + " of " + r.estate() + ": scenarios "
            + String.join(", ", runnable) + "; targets "
            + DrillTargets.describe(r, scenarios, scratchKey) + ". Approve to begin.", remind);
      }
      for (String s : runnable) {
        Compensation comp = new Compensation();
        ScenarioResult res;
        try {
          res = switch (s) {
            case DrillScenarios.DATABASE -> DatabaseScenario.run(r, steps, scratchKey, comp);
            case DrillScenarios.APPLICATION ->
                ApplicationScenario.run(r, steps, scratchKey, runKey, comp);
            case DrillScenarios.FULL_SYSTEM ->
                FullSystemScenario.run(r, steps, comp, server, id -> childWorkflowId = id);
            case DrillScenarios.MARIADB, DrillScenarios.REDIS, DrillScenarios.OPENSEARCH ->
                EngineScenario.run(s, r, steps, scratchKey, comp);
            case DrillScenarios.FILES -> FilesScenario.run(r, steps, scratchKey, comp);
            default -> throw new IllegalStateException("unregistered scenario " + s);
          };
        } finally {
          List<String> cleaned = steps.run(s + ": clean up", comp::run);
          report.fact(s + ": clean-up", cleaned.isEmpty() ? "nothing to clean"
              : String.join("; ", cleaned));
          report.notes(comp.failures());
        }
        results.add(res);
        report.facts(res.facts());
        if (!ScenarioResult.OK.equals(res.outcome())) report.note(s + " failed: " + res.message());
        gate.await(SIGN_OFF + s, DrillReport.signOffPrompt(res), remind);
      }
    } catch (CanceledFailure | ActivityFailure | ChildWorkflowFailure e) {
      // Cancelled while waiting (CanceledFailure) or mid-activity or mid-server-recovery (an
      // ActivityFailure or ChildWorkflowFailure caused by one; the scenarios return every
      // other failure as a result, never throw it).
      if (!(e instanceof CanceledFailure) && !(e.getCause() instanceof CanceledFailure)) throw e;
      report.note("the drill was cancelled");
      Workflow.newDetachedCancellationScope(() -> {
        RunOutcome.ended(OUTCOME_FAILED);
        finish(r, report, startedAt, RunReport.FAILED, results, runnable);
      }).run();
      throw e;
    }
    boolean ok = results.stream().allMatch(x -> ScenarioResult.OK.equals(x.outcome()));
    DrillReport.Verdict f = finish(r, report, startedAt,
        ok ? RunReport.SUCCEEDED : RunReport.FAILED, results, runnable);
    boolean allMet = f.criteria().stream().allMatch(RunReport.Criterion::met);
    RunOutcome.ended(ok && allMet ? OUTCOME_SUCCEEDED : OUTCOME_FAILED,
        f.criteria().get(0).met() ? RTO_MET : RTO_BREACHED);
    DrillResult result = new DrillResult(kind, quarter, scenarios, ok ? RunReport.SUCCEEDED
        : RunReport.FAILED, results, gate.approvals(), f.criteria(), steps.steps(), f.reportKey());
    if (!ok || !allMet) throw DrillReport.failed(kind, f, results);
    return result;
  }

  /** Criteria, report stored, read back (documentation), stored again with that verdict. */
  private DrillReport.Verdict finish(DrillRequest r, ReportWriter report, long startedAt,
      String outcome, List<ScenarioResult> results, List<String> runnable) {
    steps.finish(outcome);
    return DrillReport.finish(r, kind, report, startedAt, outcome, steps.steps(), results,
        gate.approvals(), runnable);
  }

  @Override
  public DrillProgress progress() {
    return new DrillProgress(kind, quarter, scenarios, steps.current(), gate.waitingSteps(),
        gate.approvals().size(), childWorkflowId);
  }

  @Override
  public Approval approve(ApprovalRequest request) { return gate.approve(request); }

  @Override
  public void validateApprove(ApprovalRequest request) { gate.validate(request); }

  @Override
  public List<WaitingStep> waitingSteps() { return gate.waitingSteps(); }

  @Override
  public List<Approval> approvals() { return gate.approvals(); }
}
