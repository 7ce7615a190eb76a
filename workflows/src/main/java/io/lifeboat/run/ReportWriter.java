package io.lifeboat.run;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A run's report as it is written: the facts and notes the workflow gathers while it runs, then
 * the {@link RunReport} built from them in workflow time and stored by {@link ReportActivities}
 * in the repository. Facts keep the order they were added in.
 */
public final class ReportWriter {
  private static final Logger log = Workflow.getLogger(ReportWriter.class);

  private final String kind;
  private final String subject;
  private final String estate;
  private final RepositoryConfig repository;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private String metricsSubject;

  /** {@code kind} is also the report's folder in the repository (PREFIX/reports/KIND/). */
  public ReportWriter(String kind, String subject, String estate, RepositoryConfig repository) {
    this.kind = kind;
    this.subject = subject;
    this.estate = estate;
    this.repository = repository;
  }

  /**
   * Copy the report to this offsite bucket as soon as it is stored (null: no offsite copy). A
   * failed copy is logged and left to the next {@code offsite sync}; the run's outcome never
   * depends on it.
   */
  public ReportWriter offsite(io.lifeboat.config.OffsiteConfig offsite) {
    this.offsite = offsite;
    return this;
  }

  private io.lifeboat.config.OffsiteConfig offsite;

  /** The {@code subject} label of {@link RunMetrics} (default: the report's subject). */
  public ReportWriter metricsSubject(String subject) {
    this.metricsSubject = subject;
    return this;
  }

  public void fact(String name, String value) {
    facts.put(name, value);
  }

  public void facts(Map<String, String> more) {
    facts.putAll(more);
  }

  public void note(String sentence) {
    notes.add(sentence);
  }

  public void notes(List<String> more) {
    notes.addAll(more);
  }

  /** The machine time and the time people took (approvals), as the report's last facts. */
  public void timeSpent(long elapsedMillis, long humanWaitMillis) {
    facts.put("Machine time", (elapsedMillis - humanWaitMillis) / 1000 + " s");
    facts.put("Waiting for people", humanWaitMillis / 1000 + " s");
  }

  /** The report of a run timed by {@code rto}, finished now. */
  public RunReport report(String outcome, RtoClock rto, List<StepTiming> steps) {
    return report(outcome, rto.startedAtMillis(), rto.rtoMillis(), steps, List.of());
  }

  /** The report of a run started at {@code startedAt}, finished now. */
  public RunReport report(String outcome, long startedAt, long rtoMillis, List<StepTiming> steps,
      List<RunReport.Criterion> criteria) {
    return new RunReport(Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId(), kind,
        subject, estate, startedAt, Workflow.currentTimeMillis(), outcome, rtoMillis, steps,
        facts, notes, criteria);
  }

  /**
   * Stores the report; its JSON key, or null when it could not be stored: that is logged, never
   * the run's outcome (the database or the application is what matters).
   */
  public String store(RunReport report) {
    try {
      return storeOrThrow(report).jsonKey();
    } catch (ActivityFailure e) {
      log.warn("the {} report of {} ({}) was not stored: {}", kind, subject, report.outcome(),
          FailureMessage.of(e));
      return null;
    }
  }

  /** Stores the report, or throws the activity's failure (a drill judges it). */
  public ReportActivities.StoredReport storeOrThrow(RunReport report) {
    // Every recovery, rollback and drill ends here: its outcome as a metric, stored or not.
    RunMetrics.finished(Workflow.getMetricsScope(), kind,
        metricsSubject != null ? metricsSubject : subject, report);
    ReportActivities.StoredReport stored = reports().storeReport(
        new ReportActivities.StoreReportRequest(repository, report, offsite));
    if (stored != null && stored.offsiteProblem() != null) {
      log.warn("the {} report of {} was stored but not copied offsite (the next offsite sync"
          + " copies it): {}", kind, subject, stored.offsiteProblem());
    }
    return stored;
  }

  /** Three attempts; a final failure kind (FailureKind) is not retried. */
  private static ReportActivities reports() {
    return Workflow.newActivityStub(ReportActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
            .setDoNotRetry(FailureKind.nonRetryableTypes()).build())
        .build());
  }
}
