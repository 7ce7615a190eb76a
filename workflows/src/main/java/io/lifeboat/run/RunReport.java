package io.lifeboat.run;

import io.lifeboat.run.StepTiming;
import java.util.List;
import java.util.Map;

/**
 * What an auditor asks after a recovery, rollback or drill: what ran, when, each step's time,
 * and whether the promise (the RTO) was kept. Built by the workflow from workflow time, so it
 * is the same on replay; stored by {@link ReportActivities} as JSON (the record) and Markdown.
 *
 * @param kind what ran, e.g. {@code database-recovery}, {@code application-rollback}; also the
 *     folder in the repository
 * @param subject what it ran on, e.g. the database or application name
 * @param outcome {@code succeeded} or {@code failed}
 * @param rtoTargetMillis the recovery time objective this run is measured against; 0 if none
 * @param facts what the operator needs to know beyond the steps (backup used, target time,
 *     rows checked), in the order the workflow added them
 * @param notes free sentences: warnings, why a step was skipped
 * @param criteria pass/fail judgements (a drill's: RTO met, data integrity, process adherence,
 *     documentation); empty for runs that have none, and in reports stored before it existed
 */
public record RunReport(
    String workflowId,
    String runId,
    String kind,
    String subject,
    String estate,
    long startedAtMillis,
    long finishedAtMillis,
    String outcome,
    long rtoTargetMillis,
    List<StepTiming> steps,
    Map<String, String> facts,
    List<String> notes,
    List<Criterion> criteria) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public RunReport {
    steps = steps == null ? List.of() : List.copyOf(steps);
    facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(facts));
    notes = notes == null ? List.of() : List.copyOf(notes);
    criteria = criteria == null ? List.of() : List.copyOf(criteria);
  }

  /** A report without criteria, as recoveries and rollbacks write it. */
  public RunReport(String workflowId, String runId, String kind, String subject, String estate,
      long startedAtMillis, long finishedAtMillis, String outcome, long rtoTargetMillis,
      List<StepTiming> steps, Map<String, String> facts, List<String> notes) {
    this(workflowId, runId, kind, subject, estate, startedAtMillis, finishedAtMillis, outcome,
        rtoTargetMillis, steps, facts, notes, List.of());
  }

  /**
   * One judgement of the run.
   *
   * @param name e.g. "RTO met", "data integrity"
   * @param met whether it held
   * @param detail the evidence, one line
   */
  public record Criterion(String name, boolean met, String detail) {}

  /** Time spent waiting for people (approvals), kept apart from machine time. */
  public long humanWaitMillis() {
    return steps.stream().mapToLong(StepTiming::humanWaitMillis).sum();
  }

  /** The run's time less the time people took to approve. */
  public long machineMillis() {
    return durationMillis() - humanWaitMillis();
  }

  public long durationMillis() {
    return finishedAtMillis - startedAtMillis;
  }

  /** met, breached, or none when there is no target. A failed run never meets its RTO. */
  public String rtoStatus() {
    if (rtoTargetMillis <= 0) return "none";
    return SUCCEEDED.equals(outcome) && durationMillis() <= rtoTargetMillis ? "met" : "breached";
  }
}
