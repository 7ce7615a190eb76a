package io.lifeboat.rollback;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_APP_ROLLBACK;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Identify, stage, install, stop, swap, start, verify; each step timed against the RTO.
 *
 * <p>The release is staged and its dependencies installed BEFORE the app is stopped: a bad
 * archive or a failing npm leaves the running app untouched, and the app is down only for
 * stop, swap (two renames) and start. If a step after the stop fails, the workflow starts the
 * app again with whatever is current/, so a failed rollback never leaves it stopped.
 */
public class ApplicationRollbackWorkflowImpl implements ApplicationRollbackWorkflow {
  private static final Logger log = Workflow.getLogger(ApplicationRollbackWorkflowImpl.class);
  /** Short: after a worker dies, the step is retried elsewhere within this time. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  /** Past this share of the RTO the run is marked at-risk. */
  static final double AT_RISK = 0.8;

  private final StepRecorder steps = new StepRecorder();
  private String application;
  private long startedAt;
  private long rtoMillis;
  private String source;
  private String rtoStatus = LifeboatSearchAttributes.RTO_ON_TRACK;
  private boolean finished;

  @Override
  public RollbackResult rollback(ApplicationRollbackRequest request) {
    ApplicationConfig app = request.application();
    application = app.name();
    startedAt = Workflow.currentTimeMillis();
    rtoMillis = request.rtoMinutes() * 60_000L;
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_APP_ROLLBACK),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING),
        RTO_STATUS.valueSet(rtoStatus));
    // A stuck step must still show up as a breach in the web UI, not only when it ends.
    Async.procedure(() -> {
      Workflow.sleep(Duration.ofMillis(rtoMillis));
      if (!finished) markRto(LifeboatSearchAttributes.RTO_BREACHED);
    });

    RollbackActivities quick = activities(request.retry(), Duration.ofMinutes(2));
    RollbackActivities slow = activities(request.retry(), Duration.ofMinutes(30));
    // The whole run id: its first characters are a timestamp (UUIDv7) that two rollbacks in
    // the same minute share.
    String runKey = Workflow.getInfo().getWorkflowId().replaceAll("[^A-Za-z0-9_.-]", "_")
        + "-" + Workflow.getInfo().getRunId().replaceAll("[^A-Za-z0-9-]", "");
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    facts.put("application", application);
    facts.put("release root", app.releaseRoot());
    boolean stopped = false;
    boolean started = false;
    AppState before = null;
    StagedRelease release = null;
    SwapResult swap = null;
    HealthResult health = null;
    try {
      before = timed("identify", () -> quick.identify(app));
      facts.put("before: pm2", before.pm2Status() + " (" + before.restarts() + " restarts)");
      facts.put("before: health", before.healthDetail());
      facts.put("before: commit", before.commit());
      if (before.healthy()) {
        notes.add("the app answered its health URL before the rollback; rolled back as asked");
      }
      release = timed("stage-release", () -> slow.stageRelease(
          new StageRequest(app, request.repository(), runKey, request.toBackupId())));
      source = release.source();
      facts.put("rolled back to", release.source());
      facts.put("commit", release.commit());
      ReleaseStep step = new ReleaseStep(app, release.stagingDir(), runKey);
      timed("install-dependencies", () -> slow.installDependencies(step));
      stopped = true; // from here on, a failure restarts the app (see the catch below)
      facts.put("stop", timed("stop-app", () -> quick.stopApp(app)));
      swap = timed("swap-release", () -> quick.swapRelease(step));
      facts.put("replaced release kept in", swap.replacedDir());
      facts.put("start", timed("start-app", () -> quick.startApp(app)));
      started = true;
      health = timed("verify-health", () -> slow.verifyHealth(app));
      facts.put("after: health", String.join("; ", health.checks()));
      finished = true;
      long elapsed = Workflow.currentTimeMillis() - startedAt;
      markRto(elapsed <= rtoMillis ? rtoWithin(elapsed) : LifeboatSearchAttributes.RTO_BREACHED);
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      String reportKey = report(request, RunReport.SUCCEEDED, facts, notes);
      return new RollbackResult(application, before, release, swap, health, elapsed, rtoMillis,
          rtoStatus, steps.steps(), reportKey);
    } catch (ActivityFailure | CanceledFailure e) {
      finished = true;
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      boolean restart = stopped && !started;
      Workflow.newDetachedCancellationScope(() -> {
        if (restart) {
          // Never leave the app stopped: run whatever current/ holds now.
          try {
            notes.add("the rollback failed after stopping the app; started it again: "
                + steps.run("restart-after-failure", () -> quick.startApp(app)));
          } catch (ActivityFailure again) {
            notes.add("the rollback failed after stopping the app, and starting it again failed: "
                + message(again));
          }
        }
        notes.add("failed: " + message(e));
        markRto(LifeboatSearchAttributes.RTO_BREACHED);
        Workflow.upsertTypedSearchAttributes(
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        report(request, RunReport.FAILED, facts, notes);
      }).run();
      throw e;
    }
  }

  @Override
  public RollbackProgress progress() {
    long elapsed = startedAt == 0 ? 0 : Workflow.currentTimeMillis() - startedAt;
    return new RollbackProgress(application, steps.current(), startedAt, elapsed, rtoMillis,
        rtoStatus, source, steps.steps());
  }

  /** Runs a step, then compares the time so far with the RTO. */
  private <T> T timed(String step, java.util.function.Supplier<T> body) {
    T result = steps.run(step, body);
    long elapsed = Workflow.currentTimeMillis() - startedAt;
    markRto(elapsed > rtoMillis ? LifeboatSearchAttributes.RTO_BREACHED : rtoWithin(elapsed));
    return result;
  }

  private void timed(String step, Runnable body) {
    timed(step, () -> {
      body.run();
      return null;
    });
  }

  private String rtoWithin(long elapsed) {
    return elapsed > rtoMillis * AT_RISK ? LifeboatSearchAttributes.RTO_AT_RISK
        : LifeboatSearchAttributes.RTO_ON_TRACK;
  }

  /** A breach is final: a later step ending in time does not undo it. */
  private void markRto(String status) {
    if (status.equals(rtoStatus) || LifeboatSearchAttributes.RTO_BREACHED.equals(rtoStatus)) {
      return;
    }
    rtoStatus = status;
    Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(status));
  }

  /** Stores the report; a failure to store it is logged, never the rollback's outcome. */
  private String report(ApplicationRollbackRequest request, String outcome,
      Map<String, String> facts, List<String> notes) {
    ReportActivities reports = Workflow.newActivityStub(ReportActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
            .build());
    long finishedAt = Workflow.currentTimeMillis();
    RunReport report = new RunReport(Workflow.getInfo().getWorkflowId(),
        Workflow.getInfo().getRunId(), KIND_APP_ROLLBACK, application, request.estate(), startedAt,
        finishedAt, outcome, rtoMillis, steps.steps(), facts, notes);
    try {
      return reports.storeReport(new ReportActivities.StoreReportRequest(request.repository(),
          report)).jsonKey();
    } catch (ActivityFailure e) {
      log.warn("rollback of {} ended ({}) but its report was not stored: {}", application,
          outcome, message(e));
      return null;
    }
  }

  private static String message(TemporalFailure e) {
    if (e instanceof ActivityFailure && e.getCause() instanceof TemporalFailure tf) {
      return tf.getOriginalMessage();
    }
    return e.getOriginalMessage();
  }

  private static RollbackActivities activities(RetryConfig retry, Duration startToClose) {
    return ActivityStubs.of(RollbackActivities.class, retry, startToClose, HEARTBEAT);
  }
}
