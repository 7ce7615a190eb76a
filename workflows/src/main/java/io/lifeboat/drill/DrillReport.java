package io.lifeboat.drill;

import static io.lifeboat.drill.DrillWorkflow.SIGN_OFF;
import static io.lifeboat.drill.DrillWorkflow.START;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DRILL;

import io.lifeboat.approval.Approval;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A drill's verdict: the criteria judged from its scenarios and approvals (RTO, data
 * integrity, process adherence), the report stored and read back (documentation, the fourth
 * criterion), stored again with that verdict, and the drill lead notified.
 */
final class DrillReport {
  private static final Logger log = Workflow.getLogger(DrillReport.class);

  /** The criteria in the report's order, and the stored report's JSON key (null if none). */
  record Verdict(List<RunReport.Criterion> criteria, String reportKey) {}

  private DrillReport() {}

  /** The report's writer, with the facts known once the drill is planned. */
  static ReportWriter writer(DrillRequest r, int quarter, List<String> scenarios) {
    String kind = r.kind();
    boolean quarterly = DrillScenarios.QUARTERLY.equals(kind);
    ReportWriter report = new ReportWriter(KIND_DRILL, r.estate() + " " + kind
        + (quarterly ? " Q" + quarter : "") + " (" + String.join(", ", scenarios) + ")",
        r.estate(), r.repository()).metricsSubject(kind).offsite(r.reportsOffsite());
    report.fact("drill", kind + (r.scenario() != null ? " (--scenario " + r.scenario() + ")"
        : quarterly ? " (Q" + quarter + " of the rotation)" : ""));
    report.fact("scenarios", String.join(", ", scenarios));
    if (r.drills().lead() != null) report.fact("drill lead", r.drills().lead());
    if (!r.drills().approvers().isEmpty()) {
      report.fact("approvers", String.join(", ", r.drills().approvers()));
    }
    return report;
  }

  /** What the lead is asked to sign off after a scenario. */
  static String signOffPrompt(ScenarioResult res) {
    return (ScenarioResult.OK.equals(res.outcome()) ? "" : "FAILED: ") + res.scenario()
        + " scenario: " + res.message() + "; machine time " + Stubs.duration(res.machineMillis())
        + " of " + Stubs.duration(res.rtoMillis()) + " RTO; integrity "
        + (res.integrity() ? "ok" : "NOT ok") + ". Check the results and sign off.";
  }

  /** The drill's failure: the scenarios that failed, else the criteria not met. */
  static ApplicationFailure failed(String kind, Verdict f, List<ScenarioResult> results) {
    String failed = String.join("; ", f.criteria().stream().filter(c -> !c.met())
        .map(c -> c.name() + ": " + c.detail()).toList());
    String scen = String.join("; ", results.stream()
        .filter(x -> !ScenarioResult.OK.equals(x.outcome()))
        .map(x -> x.scenario() + ": " + x.message()).toList());
    return ApplicationFailure.newNonRetryableFailure("drill " + kind + " failed: "
        + (scen.isEmpty() ? failed : scen) + (f.reportKey() == null ? ""
            : " (report: lifeboat report " + Workflow.getInfo().getWorkflowId() + ")"),
        FailureKind.DRILL_FAILED.type());
  }

  static Verdict finish(DrillRequest r, String kind, ReportWriter report, long startedAt,
      String outcome, List<StepTiming> steps, List<ScenarioResult> results,
      List<Approval> approvals, List<String> runnable) {
    // Each scenario's recovery time, readable and exact (drill stats' RTO trend reads the ms).
    for (ScenarioResult x : results) {
      report.fact(x.scenario() + ": " + ScenarioResult.RECOVERY_TIME, ScenarioResult.OK.equals(x.outcome())
          ? Stubs.duration(x.machineMillis()) + " of " + Stubs.duration(x.rtoMillis()) + " RTO ("
              + x.machineMillis() + "/" + x.rtoMillis() + " ms)" : x.outcome());
    }
    List<RunReport.Criterion> criteria = new ArrayList<>();
    criteria.add(rto(results));
    criteria.add(integrity(results));
    criteria.add(adherence(approvals, runnable));
    long rto = results.stream().mapToLong(ScenarioResult::rtoMillis).sum();
    DrillActivities drill =
        Stubs.of(DrillActivities.class, r.retry(), Duration.ofMinutes(2), false);
    RunReport.Criterion documentation;
    String key = null;
    try {
      ReportActivities.StoredReport stored = report.storeOrThrow(
          report.report(outcome, startedAt, rto, steps, criteria));
      DrillActivities.ReportCheck check = drill.checkReport(
          new DrillActivities.CheckReportRequest(r.repository(), stored));
      documentation = new RunReport.Criterion("documentation", check.stored(), check.detail());
      key = stored.jsonKey();
    } catch (ActivityFailure e) {
      documentation = new RunReport.Criterion("documentation", false,
          "the report could not be stored: " + FailureMessage.of(e));
    }
    criteria.add(documentation);
    if (key != null) {
      try {
        report.storeOrThrow(report.report(outcome, startedAt, rto, steps, criteria));
      } catch (ActivityFailure e) {
        log.warn("the drill report's final version was not stored: {}", FailureMessage.of(e));
      }
    }
    Notifier.send(r.notification(), new Notification(Notification.EVENT_DRILL_REPORT,
        "drill " + kind + " of " + r.estate() + " " + outcome,
        String.join("; ", criteria.stream().map(c -> c.name() + (c.met() ? " met" : " NOT met"))
            .toList()), Map.of("report", key == null ? "not stored" : key),
        r.notification().link(Workflow.getInfo().getWorkflowId())));
    return new Verdict(List.copyOf(criteria), key);
  }

  static RunReport.Criterion rto(List<ScenarioResult> results) {
    boolean met = !results.isEmpty() && results.stream().allMatch(ScenarioResult::rtoMet);
    return new RunReport.Criterion("recovery time objectives met", met, String.join("; ",
        results.stream().map(x -> x.scenario() + " " + (ScenarioResult.OK.equals(x.outcome())
            ? Stubs.duration(x.machineMillis()) + " of " + Stubs.duration(x.rtoMillis())
            : x.outcome()) + (x.rtoMet() ? "" : " (not met)")).toList())
        + " (machine time; waiting for approvals not counted)");
  }

  static RunReport.Criterion integrity(List<ScenarioResult> results) {
    boolean met = !results.isEmpty() && results.stream().allMatch(ScenarioResult::integrity);
    List<String> ev = new ArrayList<>();
    for (ScenarioResult x : results) {
      if (!ScenarioResult.OK.equals(x.outcome())) ev.add(x.scenario() + ": did not complete");
      ev.addAll(x.evidence());
    }
    return new RunReport.Criterion("data integrity", met, String.join("; ", ev));
  }

  /** Every step approved, in the planned order, by a named person. */
  static RunReport.Criterion adherence(List<Approval> given, List<String> runnable) {
    List<String> expected = new ArrayList<>();
    if (!runnable.isEmpty()) expected.add(START);
    for (String s : runnable) expected.add(SIGN_OFF + s);
    List<String> order = given.stream().map(Approval::step).toList();
    boolean met = !expected.isEmpty() && order.equals(expected);
    String detail = given.isEmpty() ? "no approvals" : String.join(", ", given.stream()
        .map(a -> a.step() + " by " + a.by() + " after " + Stubs.duration(a.waitedMillis())
            + (a.reminders() > 0 ? " (" + a.reminders() + " reminders)" : "")).toList());
    if (!met) detail += "; expected " + String.join(", ", expected);
    return new RunReport.Criterion("process adherence", met, detail);
  }
}
