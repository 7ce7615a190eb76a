package io.lifeboat.backup.bacula;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_BACULA;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.BaculaConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * The runbook: start the Director's job (bconsole {@code run}; the JobId is recorded before
 * anything waits on it, so a retried wait never starts a second job) → wait for it to end,
 * heartbeating its status → read its result; anything but JobStatus T fails the run with
 * Bacula's first error → restore it into the scratch directory and compare with the source
 * tree → metrics and the run's report ({@code lifeboat report WORKFLOW_ID}).
 */
public class BaculaBackupWorkflowImpl implements BaculaBackupWorkflow {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  private final StepRecorder steps = new StepRecorder();
  private String source;
  private long jobId;

  @Override
  public BaculaBackupResult backup(BaculaBackupRequest request) {
    BaculaConfig b = request.bacula();
    source = b.name();
    long startedAt = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_BACULA),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    String queue = HostRouting.queueFor(b.host());
    BaculaActivities quick = ActivityStubs.of(BaculaActivities.class, request.retry(),
        Duration.ofMinutes(5), null, queue);
    BaculaActivities watching = ActivityStubs.of(BaculaActivities.class, request.retry(),
        Duration.ofHours(24), HEARTBEAT, queue);
    ReportWriter report = new ReportWriter(KIND_BACULA, b.name(), request.estate(),
        request.repository());
    report.fact("Bacula job", b.job() + " (client " + b.client() + ")");
    report.fact("Reason", request.reason());
    String tag = "lifeboat-run=" + Workflow.getInfo().getWorkflowId() + "/"
        + Workflow.getInfo().getRunId();
    try {
      if (b.host() != null) {
        steps.run("agent", () -> HostRouting.awaitAgent(b.host(), request.retry()));
      }
      jobId = steps.run("start", () -> quick.baculaStart(b, tag));
      report.fact("JobId", Long.toString(jobId));
      BaculaJob job = steps.run("wait", () -> watching.baculaWait(b, jobId));
      report.fact("JobStatus", job.jobStatus() + " (" + job.statusText() + ")");
      report.fact("JobFiles", Long.toString(job.jobFiles()));
      report.fact("JobBytes", Long.toString(job.jobBytes()));
      report.fact("JobErrors", Long.toString(job.jobErrors()));
      report.fact("Bacula start", job.startTime());
      report.fact("Bacula end", job.endTime());
      if (!job.ok()) {
        throw FailureKind.BACULA_JOB_FAILED.failure("bacula job " + b.job() + " of " + b.name()
            + " (JobId " + job.jobId() + ") ended with JobStatus " + job.jobStatus() + " ("
            + job.statusText() + ")" + (job.firstError() != null ? ": " + job.firstError() : ""));
      }
      if (job.jobErrors() > 0) {
        report.note("Bacula finished the job OK with " + job.jobErrors() + " non-fatal error(s)"
            + (job.firstError() != null ? ": " + job.firstError() : ""));
      }
      BaculaRestoreCheck restore = b.restoreWhere() == null ? null
          : steps.run("restore-compare", () -> watching.baculaRestoreCompare(b, job.jobId()));
      if (restore != null) {
        report.fact("Restore check", (restore.ok() ? "ok: " : "failed: ") + restore.line());
        if (!restore.ok()) {
          throw FailureKind.FILES_RESTORE_DIFFERS.failure("restore check of bacula job "
              + b.job() + " (JobId " + job.jobId() + ") failed: " + restore.line());
        }
      } else {
        report.note("No restore check: bacula[].restoreWhere is not set.");
      }
      long finishedAt = Workflow.currentTimeMillis();
      BackupMetrics.succeeded(Workflow.getMetricsScope(), b.name(), KIND_BACULA, startedAt,
          finishedAt, job.jobBytes(), job.jobBytes());
      steps.finish("done");
      String key = report.store(report.report(RunReport.SUCCEEDED, startedAt, 0, steps.steps(),
          List.of()));
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new BaculaBackupResult(b.name(), job, restore, key, steps.steps());
    } catch (RuntimeException e) {
      steps.finish("failed");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      BackupMetrics.failed(Workflow.getMetricsScope(), b.name(), KIND_BACULA, startedAt,
          Workflow.currentTimeMillis());
      if (!FailedBackup.cancelled(e)) {
        report.note("Failed: " + FailureMessage.of(e));
        Workflow.newDetachedCancellationScope(() -> report.store(report.report(RunReport.FAILED,
            startedAt, 0, steps.steps(), List.of()))).run();
      }
      throw e;
    }
  }

  @Override
  public BaculaBackupStatus status() {
    return new BaculaBackupStatus(source, steps.current(), jobId, steps.steps());
  }
}
