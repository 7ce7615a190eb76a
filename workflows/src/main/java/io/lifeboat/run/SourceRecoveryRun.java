package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.recover.db.RecoveryMetrics;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Supplier;

/**
 * A recovery of a source that is not PostgreSQL (Redis, OpenSearch, MariaDB: issue 19) timed, told and
 * reported as a database recovery is: the RTO clock ({@code targets.databaseRtoMinutes}) with
 * its at-risk and breached status in the run's search attributes; "started", a status every
 * {@code notifications.statusEveryMinutes} with the projected finish, then "finished" or
 * "failed" ({@link RunNews}); the recovery metrics and alerts ({@link RecoveryMetrics}, kind =
 * the source's kind); a stored report that {@code lifeboat report ID} prints and the offsite
 * keeps.
 *
 * <p>All of that adds commands to the history, so it is one patch, {@value #CHANGE}, decided at
 * {@link #start} before any other command of the run: a run recorded before it, or a request
 * without {@link RecoveryTiming} (an older CLI), goes on as it did, with {@link RecoveryNotice}'s
 * started/finished/failed and the same upserts in the same order. Call from workflow code only.
 */
public final class SourceRecoveryRun {
  /** The patch that gave these recoveries an RTO clock, a status cadence and a report. */
  public static final String CHANGE = "source-recovery-clock";

  private final StepRecorder steps;
  private final String kind;
  private final String source;
  // before the patch
  private final RecoveryNotice notice;
  // with it
  private final RtoClock rto;
  private final ReportWriter report;
  private final RunNews news;

  private SourceRecoveryRun(StepRecorder steps, String kind, String source,
      RecoveryNotice notice, RtoClock rto, ReportWriter report, RunNews news) {
    this.steps = steps;
    this.kind = kind;
    this.source = source;
    this.notice = notice;
    this.rto = rto;
    this.report = report;
    this.news = news;
  }

  /**
   * At the start of the run, before anything else: the clock, "started", the run's search
   * attributes.
   *
   * @param kind the run's {@code LifeboatKind}, also its report's folder ({@code redis-recovery})
   * @param label how a person names the run: "Redis recovery"
   * @param backupId the backup asked for, or null (the newest: said by {@link #backup})
   * @param planned the steps the run expects, asked at each projection
   */
  public static SourceRecoveryRun start(RecoveryTiming timing, NotificationTarget notifications,
      RepositoryConfig repository, String kind, String label, String source, String backupId,
      StepRecorder steps, Supplier<List<String>> planned) {
    boolean on = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1 && timing != null;
    if (!on) {
      RecoveryNotice notice = RecoveryNotice.start(notifications, kind, label, source, backupId);
      Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(source), KIND.valueSet(kind),
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
      return new SourceRecoveryRun(steps, kind, source, notice, null, null, null);
    }
    RtoClock rto = RtoClock.start(timing.rtoMinutes());
    ReportWriter report = new ReportWriter(kind, source, timing.estate(), repository)
        .offsite(timing.reportsOffsite());
    RunOutcome.running(kind, source, rto);
    String what = label.toLowerCase(java.util.Locale.ROOT) + " of " + source;
    rto.watch(what, steps::current, () -> {});
    steps.onEachStep(step -> rto.breachIfOver());
    RunNews news = RunNews.start(notifications, kind, source, what, rto, steps, report,
        planned, timing.previousStepMillis());
    report.fact("Source", source);
    report.fact("Backup asked for", backupId == null ? "the newest committed one" : backupId);
    return new SourceRecoveryRun(steps, kind, source, null, rto, report, news);
  }

  /** The backup once chosen. */
  public void backup(String backupId) {
    if (notice != null) notice.backup(backupId);
    else report.fact("Backup used", backupId);
  }

  /** A line of the report (nothing before the patch: those runs have no report). */
  public void fact(String name, String value) {
    if (report != null) report.fact(name, value);
  }

  /**
   * After {@code steps.finish("done")}: the outcome, "finished" with {@code summary}, the
   * metrics, the stored report.
   *
   * @return the stored report's key, or null (before the patch, or when storing failed)
   */
  public String succeeded(String summary) {
    if (notice != null) {
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      notice.finished(summary);
      return null;
    }
    RunOutcome.succeeded(rto);
    RecoveryMetrics.record(Workflow.getMetricsScope(), source, kind,
        rto.elapsedMillis() / 1000.0, rto.rtoMillis() / 1000.0, rto.met());
    report.fact("Result", summary);
    news.finished(summary);
    return report.store(report.report(RunReport.SUCCEEDED, rto, steps.steps()));
  }

  /**
   * After {@code steps.finish("failed")}: {@code cleanup} (the run's own, e.g. removing its
   * scratch), then the outcome, "failed", the metrics and the stored report; all of it also
   * when the run itself was cancelled.
   */
  public void failed(Throwable e, Runnable cleanup) {
    if (notice != null) {
      Workflow.newDetachedCancellationScope(() -> {
        Workflow.upsertTypedSearchAttributes(
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        cleanup.run();
      }).run();
      notice.failed(steps, e);
      return;
    }
    rto.stop();
    report.note("failed in step " + steps.last() + ": " + FailureMessage.of(e));
    Workflow.newDetachedCancellationScope(() -> {
      cleanup.run();
      RunOutcome.failed(rto);
      news.failed(FailureMessage.of(e));
      RecoveryMetrics.record(Workflow.getMetricsScope(), source, kind,
          (Workflow.currentTimeMillis() - rto.startedAtMillis()) / 1000.0,
          rto.rtoMillis() / 1000.0, false);
      report.store(report.report(RunReport.FAILED, rto, steps.steps()));
    }).run();
  }
}
