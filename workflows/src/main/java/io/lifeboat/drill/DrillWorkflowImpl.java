package io.lifeboat.drill;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DRILL;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Plan (calendar or --scenario), refuse production targets, wait for the lead's go, run each
 * scenario with its clean-up, have each signed off, judge the criteria, store the report.
 *
 * <p>Nothing is skipped silently: a scenario this build cannot run is recorded as failed with
 * its reason; a failed scenario is still cleaned up and still signed off (the lead acknowledges
 * the failure); the drill then fails, after its report is stored.
 */
public class DrillWorkflowImpl implements DrillWorkflow {
  private static final Logger log = Workflow.getLogger(DrillWorkflowImpl.class);
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
    String runId = Workflow.getInfo().getRunId();
    String workflowId = Workflow.getInfo().getWorkflowId();
    kind = r.kind();
    quarter = DrillScenarios.quarter(startedAt);
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_DRILL),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    if (!DrillScenarios.KINDS.contains(kind)
        || (r.scenario() != null && !DrillScenarios.NAMES.contains(r.scenario()))) {
      throw ApplicationFailure.newNonRetryableFailure("a drill is monthly or quarterly, its"
          + " scenario one of " + DrillScenarios.NAMES + "; got " + kind + " / " + r.scenario(),
          FailureKind.CONFIG_INVALID.type());
    }
    scenarios = DrillScenarios.plan(kind, r.scenario(), startedAt);
    // Drills recorded before the full-system scenario was wired planned it as unavailable
    // (a failed step, no commands) and went on; they replay so. New ones mark the version.
    boolean fullSystemWired = !scenarios.contains(DrillScenarios.FULL_SYSTEM)
        || Workflow.getVersion(FULL_SYSTEM_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    // Without a usable server target the full-system scenario cannot run: like an unavailable
    // scenario it is recorded as failed with the reason, and the others still run (a scheduled
    // Q4 drill still tests the database and the application). The CLI refuses it up front.
    DrillTargets.ServerPick server = fullSystemWired && scenarios.contains(DrillScenarios.FULL_SYSTEM)
        ? DrillTargets.serverTarget(r) : null;
    // The random end of the run id (RunKeys) names the scratch database and directory: a
    // monthly and a quarterly drill started in the same minute must not share them. Drills
    // recorded before keep the first 8 characters they used.
    String scratchKey = RunKeys.forThisRun();
    // Before anything runs: a drill never touches production.
    Optional<String> refused = DrillTargets.refusal(r, scenarios, scratchKey);
    if (refused.isPresent()) {
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      throw ApplicationFailure.newNonRetryableFailure(refused.get(),
          FailureKind.DRILL_TARGET_IS_PRODUCTION.type());
    }
    gate.notifying(r.notification(), "drill " + kind + " of " + r.estate())
        .approvers(r.drills().approvers());
    Duration remind = Duration.ofMinutes(r.drills().reminderMinutes());
    String runKey = workflowId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
        + runId.replaceAll("[^A-Za-z0-9-]", "");

    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("drill", kind + (r.scenario() != null ? " (--scenario " + r.scenario() + ")"
        : quarterNote(kind, quarter)));
    facts.put("scenarios", String.join(", ", scenarios));
    if (r.drills().lead() != null) facts.put("drill lead", r.drills().lead());
    if (!r.drills().approvers().isEmpty()) {
      facts.put("approvers", String.join(", ", r.drills().approvers()));
    }
    List<String> notes = new ArrayList<>();
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
          rtoOf(r, s), false, List.of(), Map.of()));
      notes.add(why + ": the " + s + " scenario did not run");
    }
    try {
      if (!runnable.isEmpty()) {
        gate.await(START, "drill " + kind + " of " + r.estate() + ": scenarios "
            + String.join(", ", runnable) + "; targets " + targets(r, scratchKey)
            + ". Approve to begin.", remind);
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
            default -> throw new IllegalStateException("unregistered scenario " + s);
          };
        } finally {
          List<String> cleaned = steps.run(s + ": clean up", comp::run);
          facts.put(s + ": clean-up", cleaned.isEmpty() ? "nothing to clean"
              : String.join("; ", cleaned));
          notes.addAll(comp.failures());
        }
        results.add(res);
        facts.putAll(res.facts());
        if (!ScenarioResult.OK.equals(res.outcome())) notes.add(s + " failed: " + res.message());
        gate.await(SIGN_OFF + s, (ScenarioResult.OK.equals(res.outcome()) ? "" : "FAILED: ")
            + s + " scenario: " + res.message() + "; machine time "
            + Stubs.duration(res.machineMillis()) + " of " + Stubs.duration(res.rtoMillis())
            + " RTO; integrity " + (res.integrity() ? "ok" : "NOT ok")
            + ". Check the results and sign off.", remind);
      }
    } catch (CanceledFailure | ActivityFailure | ChildWorkflowFailure e) {
      // Cancelled while waiting (CanceledFailure) or mid-activity or mid-server-recovery (an
      // ActivityFailure or ChildWorkflowFailure caused by one; the scenarios return every
      // other failure as a result, never throw it).
      if (!(e instanceof CanceledFailure) && !(e.getCause() instanceof CanceledFailure)) throw e;
      notes.add("the drill was cancelled");
      Workflow.newDetachedCancellationScope(() -> {
        Workflow.upsertTypedSearchAttributes(
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        finish(r, startedAt, RunReport.FAILED, facts, notes, results, runnable);
      }).run();
      throw e;
    }
    boolean ok = results.stream().allMatch(x -> ScenarioResult.OK.equals(x.outcome()));
    Finished f = finish(r, startedAt, ok ? RunReport.SUCCEEDED : RunReport.FAILED, facts, notes,
        results, runnable);
    boolean allMet = f.criteria().stream().allMatch(RunReport.Criterion::met);
    Workflow.upsertTypedSearchAttributes(
        OUTCOME.valueSet(ok && allMet ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED
            : LifeboatSearchAttributes.OUTCOME_FAILED),
        RTO_STATUS.valueSet(f.criteria().get(0).met() ? LifeboatSearchAttributes.RTO_MET
            : LifeboatSearchAttributes.RTO_BREACHED));
    DrillResult result = new DrillResult(kind, quarter, scenarios, ok ? RunReport.SUCCEEDED
        : RunReport.FAILED, results, gate.approvals(), f.criteria(), steps.steps(), f.reportKey());
    if (!ok || !allMet) {
      String failed = String.join("; ", f.criteria().stream().filter(c -> !c.met())
          .map(c -> c.name() + ": " + c.detail()).toList());
      String scen = String.join("; ", results.stream()
          .filter(x -> !ScenarioResult.OK.equals(x.outcome()))
          .map(x -> x.scenario() + ": " + x.message()).toList());
      throw ApplicationFailure.newNonRetryableFailure("drill " + kind + " failed: "
          + (scen.isEmpty() ? failed : scen) + (f.reportKey() == null ? ""
              : " (report: lifeboat report " + workflowId + ")"),
          FailureKind.DRILL_FAILED.type());
    }
    return result;
  }

  private static String quarterNote(String kind, int quarter) {
    return DrillScenarios.QUARTERLY.equals(kind) ? " (Q" + quarter + " of the rotation)" : "";
  }

  private record Finished(List<RunReport.Criterion> criteria, String reportKey) {}

  /** Criteria, report stored, read back (documentation), stored again with that verdict. */
  private Finished finish(DrillRequest r, long startedAt, String outcome, Map<String, String> facts,
      List<String> notes, List<ScenarioResult> results, List<String> runnable) {
    steps.finish(outcome);
    List<RunReport.Criterion> criteria = new ArrayList<>();
    criteria.add(rto(results));
    criteria.add(integrity(results));
    criteria.add(adherence(runnable));
    long rto = results.stream().mapToLong(ScenarioResult::rtoMillis).sum();
    ReportActivities reports = Workflow.newActivityStub(ReportActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build()).build());
    DrillActivities drill = Stubs.of(DrillActivities.class, r.retry(), Duration.ofMinutes(2), false);
    String subject = r.estate() + " " + kind + (DrillScenarios.QUARTERLY.equals(kind)
        ? " Q" + quarter : "") + " (" + String.join(", ", scenarios) + ")";
    RunReport.Criterion documentation;
    String key = null;
    try {
      RunReport draft = report(r.estate(), startedAt, subject, outcome, rto, facts, notes, criteria);
      ReportActivities.StoredReport stored = reports.storeReport(
          new ReportActivities.StoreReportRequest(r.repository(), draft));
      DrillActivities.ReportCheck check = drill.checkReport(
          new DrillActivities.CheckReportRequest(r.repository(), stored));
      documentation = new RunReport.Criterion("documentation", check.stored(), check.detail());
      key = stored.jsonKey();
    } catch (ActivityFailure e) {
      documentation = new RunReport.Criterion("documentation", false,
          "the report could not be stored: " + Stubs.message(e));
    }
    criteria.add(documentation);
    if (key != null) {
      try {
        reports.storeReport(new ReportActivities.StoreReportRequest(r.repository(),
            report(r.estate(), startedAt, subject, outcome, rto, facts, notes, criteria)));
      } catch (ActivityFailure e) {
        log.warn("the drill report's final version was not stored: {}", Stubs.message(e));
      }
    }
    Notifier.send(r.notification(), new Notification(Notification.EVENT_DRILL_REPORT,
        "drill " + kind + " of " + r.estate() + " " + outcome,
        String.join("; ", criteria.stream().map(c -> c.name() + (c.met() ? " met" : " NOT met"))
            .toList()), Map.of("report", key == null ? "not stored" : key),
        r.notification().link(Workflow.getInfo().getWorkflowId())));
    return new Finished(List.copyOf(criteria), key);
  }

  private RunReport report(String estate, long startedAt, String subject, String outcome, long rto,
      Map<String, String> facts, List<String> notes, List<RunReport.Criterion> criteria) {
    return new RunReport(Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId(),
        KIND_DRILL, subject, estate, startedAt, Workflow.currentTimeMillis(), outcome, rto,
        steps.steps(), facts, notes, criteria);
  }

  private static RunReport.Criterion rto(List<ScenarioResult> results) {
    boolean met = !results.isEmpty() && results.stream().allMatch(ScenarioResult::rtoMet);
    return new RunReport.Criterion("recovery time objectives met", met, String.join("; ",
        results.stream().map(x -> x.scenario() + " " + (ScenarioResult.OK.equals(x.outcome())
            ? Stubs.duration(x.machineMillis()) + " of " + Stubs.duration(x.rtoMillis())
            : x.outcome()) + (x.rtoMet() ? "" : " (not met)")).toList())
        + " (machine time; waiting for approvals not counted)");
  }

  private static RunReport.Criterion integrity(List<ScenarioResult> results) {
    boolean met = !results.isEmpty() && results.stream().allMatch(ScenarioResult::integrity);
    List<String> ev = new ArrayList<>();
    for (ScenarioResult x : results) {
      if (!ScenarioResult.OK.equals(x.outcome())) ev.add(x.scenario() + ": did not complete");
      ev.addAll(x.evidence());
    }
    return new RunReport.Criterion("data integrity", met, String.join("; ", ev));
  }

  /** Every step approved, in the planned order, by a named person. */
  private RunReport.Criterion adherence(List<String> runnable) {
    List<String> expected = new ArrayList<>();
    if (!runnable.isEmpty()) expected.add(START);
    for (String s : runnable) expected.add(SIGN_OFF + s);
    List<Approval> given = gate.approvals();
    List<String> order = given.stream().map(Approval::step).toList();
    boolean met = !expected.isEmpty() && order.equals(expected);
    String detail = given.isEmpty() ? "no approvals" : String.join(", ", given.stream()
        .map(a -> a.step() + " by " + a.by() + " after " + Stubs.duration(a.waitedMillis())
            + (a.reminders() > 0 ? " (" + a.reminders() + " reminders)" : "")).toList());
    if (!met) detail += "; expected " + String.join(", ", expected);
    return new RunReport.Criterion("process adherence", met, detail);
  }

  private static long rtoOf(DrillRequest r, String scenario) {
    return switch (scenario) {
      case DrillScenarios.DATABASE -> r.targets().databaseRtoMinutes() * 60_000L;
      case DrillScenarios.APPLICATION -> r.targets().applicationRtoMinutes() * 60_000L;
      default -> r.targets().serverRtoMinutes() * 60_000L;
    };
  }

  private String targets(DrillRequest r, String scratchKey) {
    List<String> t = new ArrayList<>();
    if (scenarios.contains(DrillScenarios.DATABASE)) {
      for (var db : r.databases()) {
        t.add("database " + DrillTargets.scratchDatabase(r.drills(), db, r.databases(), scratchKey)
            + " on " + db.host() + ":" + db.port());
      }
    }
    if (scenarios.contains(DrillScenarios.APPLICATION)) {
      for (var app : r.applications()) {
        t.add("app " + DrillTargets.appPm2Name(r.drills(), app) + " in "
            + DrillTargets.appRoot(r.drills(), app) + " on port " + r.drills().appPort());
      }
    }
    if (scenarios.contains(DrillScenarios.FULL_SYSTEM)) {
      var pick = DrillTargets.serverTarget(r);
      if (pick.target() != null) {
        t.add("server " + pick.target().name() + " (" + pick.target().root() + ", its human"
            + " steps approved on " + io.lifeboat.recover.server.ServerRecoveryWorkflow
                .workflowId(pick.target().name()) + ")");
      }
    }
    return String.join(", ", t);
  }

  @Override
  public DrillProgress progress() {
    return new DrillProgress(kind, quarter, scenarios, steps.current(), gate.waitingSteps(),
        gate.approvals().size(), childWorkflowId);
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
