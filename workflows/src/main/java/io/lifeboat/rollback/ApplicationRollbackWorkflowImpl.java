package io.lifeboat.rollback;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND_APP_ROLLBACK;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_FAILED;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_SUCCEEDED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_BREACHED;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.host.HostPlacement;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RtoClock;
import io.lifeboat.run.RunOutcome;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Identify, stage, install, stop, swap, start, verify; each step timed against the RTO.
 *
 * <p>The release is staged and its dependencies installed BEFORE the app is stopped: a bad
 * archive or a failing npm leaves the running app untouched, and the app is down only for
 * stop, swap (two renames) and start. If a step after the stop fails, the workflow starts the
 * app again with whatever is current/, so a failed rollback never leaves it stopped.
 */
public class ApplicationRollbackWorkflowImpl implements ApplicationRollbackWorkflow {
  /** Short: after a worker dies, the step is retried elsewhere within this time. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final StepRecorder steps = new StepRecorder();
  private String application;
  private String source;
  private RtoClock rto;
  private RunNews news;

  @Override
  public RollbackResult rollback(ApplicationRollbackRequest request) {
    ApplicationConfig app = request.application();
    application = app.name();
    rto = RtoClock.start(request.rtoMinutes());
    RunOutcome.running(KIND_APP_ROLLBACK, null, rto);
    // A stuck step must still show up as a breach in the web UI, not only when it ends.
    rto.watchForBreach();
    // After each step that worked: on-track, at-risk or breached by now.
    steps.onEachStep(step -> {
      if ("ok".equals(step.outcome())) rto.update();
    });

    // Every rollback step is host-bound (ActivityPlacement): on the application's host's agent
    // when it names one, else on the workflow's queue as before.
    HostPlacement placement = new HostPlacement(app.host(), request.retry(), steps)
        .notifying(request.notifications());
    RollbackActivities quick = activities(placement, Duration.ofMinutes(2));
    RollbackActivities slow = activities(placement, Duration.ofMinutes(30));
    // The whole run id: its first characters are a timestamp (UUIDv7) that two rollbacks in
    // the same minute share.
    String runKey = RunKeys.wholeRun();
    ReportWriter report = new ReportWriter(KIND_APP_ROLLBACK, application, request.estate(),
        request.repository()).offsite(request.reportsOffsite());
    report.fact("application", application);
    report.fact("release root", app.releaseRoot());
    if (app.host() != null) report.fact("host", app.host());
    news = RunNews.start(request.notifications(), KIND_APP_ROLLBACK, application,
        "rollback of application " + application, rto, steps, report,
        () -> ApplicationRollbackRequest.STEPS, request.previousStepMillis());
    boolean stopped = false;
    boolean started = false;
    AppState before = null;
    StagedRelease release = null;
    SwapResult swap = null;
    HealthResult health = null;
    try {
      before = steps.run("identify", () -> quick.identify(app));
      report.fact("before: pm2", before.pm2Status() + " (" + before.restarts() + " restarts)");
      report.fact("before: health", before.healthDetail());
      report.fact("before: commit", before.commit());
      if (before.healthy()) {
        report.note("the app answered its health URL before the rollback; rolled back as asked");
      }
      release = steps.run("stage-release", () -> slow.stageRelease(
          new StageRequest(app, request.repository(), runKey, request.toBackupId())));
      source = release.source();
      report.fact("rolled back to", release.source());
      report.fact("commit", release.commit());
      ReleaseStep step = new ReleaseStep(app, release.stagingDir(), runKey);
      steps.run("install-dependencies", () -> slow.installDependencies(step));
      stopped = true; // from here on, a failure restarts the app (see the catch below)
      report.fact("stop", steps.run("stop-app", () -> quick.stopApp(app)));
      swap = steps.run("swap-release", () -> quick.swapRelease(step));
      report.fact("replaced release kept in", swap.replacedDir());
      report.fact("start", steps.run("start-app", () -> quick.startApp(app)));
      started = true;
      health = steps.run("verify-health", () -> slow.verifyHealth(app));
      report.fact("after: health", String.join("; ", health.checks()));
      rto.stop(); // the last step's update() was the final word on the RTO
      steps.finish("done");
      RunOutcome.ended(OUTCOME_SUCCEEDED);
      news.finished("running " + release.source());
      String reportKey = report.store(report.report(RunReport.SUCCEEDED, rto, steps.steps()));
      return new RollbackResult(application, before, release, swap, health, rto.elapsedMillis(),
          rto.rtoMillis(), rto.status(), steps.steps(), reportKey);
    } catch (ActivityFailure | CanceledFailure e) {
      rto.stop();
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      boolean restart = stopped && !started;
      Workflow.newDetachedCancellationScope(() -> {
        if (restart) {
          // Never leave the app stopped: run whatever current/ holds now.
          try {
            report.note("the rollback failed after stopping the app; started it again: "
                + steps.run("restart-after-failure", () -> quick.startApp(app)));
          } catch (ActivityFailure again) {
            report.note("the rollback failed after stopping the app, and starting it again"
                + " failed: " + FailureMessage.of(again));
          }
        }
        report.note("failed: " + FailureMessage.of(e));
        rto.mark(RTO_BREACHED);
        RunOutcome.ended(OUTCOME_FAILED);
        news.failed(FailureMessage.of(e));
        report.store(report.report(RunReport.FAILED, rto, steps.steps()));
      }).run();
      throw e;
    }
  }

  @Override
  public RollbackProgress progress() {
    return new RollbackProgress(application, steps.current(), rto.startedAtMillis(),
        rto.elapsedMillis(), rto.rtoMillis(), rto.status(), source, steps.steps(),
        RunNews.projection(news));
  }

  private static RollbackActivities activities(HostPlacement placement, Duration startToClose) {
    return placement.stub(RollbackActivities.class, startToClose, HEARTBEAT);
  }
}
