package io.lifeboat.recover.db;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_RECOVERY;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RtoClock;
import io.lifeboat.run.RunOutcome;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Plan, assess, stop the application, rebuild into scratch (base backup + WAL replay, or a dump
 * restore), verify, swap, start the application, check its health; every step timed against
 * the RTO ({@link RtoClock}). On failure the unfinished copy is removed and the application
 * started again; the report is stored either way.
 */
public class DatabaseRecoveryWorkflowImpl implements DatabaseRecoveryWorkflow {
  public static final String REPORT_KIND = "database-recovery";

  /** Download and replay may take hours; a silent worker is declared dead after this. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The short steps heartbeat while they run (Keepalive), so a killed worker is noticed in
   * seconds; with start-to-close alone the fault suite saw a 10 minute stall per kill.
   */
  static final Duration QUICK_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private final StepRecorder steps = new StepRecorder();
  private RecoveryRequest request;
  private RtoClock rto;
  private ReportWriter report;
  private String method = "undecided";
  private RunNews news;
  private RecoveryStubs stubs;

  @Override
  public RecoveryResult recover(RecoveryRequest req) {
    request = req;
    rto = RtoClock.start(req.rtoMinutes());
    String db = req.database().name();
    String recoveryId = RepositoryLayout.backupId(rto.startedAtMillis());
    report = new ReportWriter(REPORT_KIND, db, req.estate(), req.repository())
        .offsite(req.reportsOffsite());
    RunOutcome.running(KIND_DB_RECOVERY, db, rto);
    // The web UI's list shows a breach when it happens, not only when the run ends.
    rto.watch("recovery of " + db, steps::current, () -> {});
    // After each step too: a step that ran past the RTO shows as a breach when it ends.
    steps.onEachStep(step -> rto.breachIfOver());
    news = RunNews.start(req.notifications(), KIND_DB_RECOVERY, db, "recovery of database " + db,
        rto, steps, report, () -> RecoverySteps.of(method), req.previousStepMillis());
    report.fact("Target", req.target().describe());
    report.fact("Repository", req.describeSource());

    // Host-bound steps (ActivityPlacement) go to the database's host's agent; the
    // application's stop and start to its host's. No host: all on the workflow's queue.
    if (req.database().onHost() != null) report.fact("Host", req.database().onHost());
    stubs = RecoveryStubs.of(req, steps);
    DatabaseRecoveryActivities quick = stubs.quick();
    DatabaseRecoveryActivities streaming = stubs.streaming();
    DatabaseRecoveryActivities appQuick = stubs.application();

    boolean appStopped = false;
    boolean swapped = false;
    PitrRequest pitr = null;
    DumpRestoreRequest dump = null;
    try {
      RecoveryPlan plan = steps.run("plan", () -> quick.plan(
          new PlanRequest(req.database(), req.repository(), req.target())));
      method = plan.method();
      report.fact("Method", plan.pitr() ? "base backup + WAL replay" : "full dump restore");
      report.fact("Backup used", plan.backupId() + " (" + plan.objectKey() + ")");
      ClusterFacts cluster = steps.run("assess", () -> quick.assess(req.database()));
      report.fact("Server before", cluster.reachable()
          ? "answering, PostgreSQL " + cluster.serverVersion() + ", " + cluster.sizeBytes() + " bytes"
          : "not answering: " + cluster.problem());
      if (!plan.pitr() && !cluster.reachable()) {
        throw FailureKind.RECOVERY_FAILED.failure("the server of " + db + " does not answer ("
            + cluster.problem() + ") and the repository has no base backup to rebuild it from;"
            + " a dump needs a running server");
      }
      String dataDirectory = plan.pitr() ? RecoveryInputs.dataDirectory(req, cluster, plan) : null;

      ApplicationRequest app = new ApplicationRequest(req.database());
      steps.run("stop-application", () -> appQuick.stopApplication(app));
      appStopped = true;

      SwapResult swap;
      VerifyReport verification;
      if (plan.pitr()) {
        PitrRequest draft = new PitrRequest(req.database(), req.repository(), plan, req.target(),
            new ScratchCluster(dataDirectory, null, null, 0), recoveryId);
        ScratchCluster scratch = steps.run("prepare", () -> quick.prepareScratch(draft));
        pitr = new PitrRequest(req.database(), req.repository(), plan, req.target(), scratch,
            recoveryId);
        PitrRequest p = pitr;
        steps.run("download", () -> streaming.downloadBase(p));
        ReplayResult replay = steps.run("replay", () -> streaming.replay(p));
        report.fact("Replay", replay.walSegments() + " WAL segments, promoted at " + replay.endLsn()
            + " on timeline " + replay.timeline()
            + (replay.stoppedAt() == null ? "" : "; " + replay.stoppedAt()));
        verification = steps.run("verify", () -> quick.verify(new VerifyRequest(req.database(),
            scratch.scratchPort(), db, RecoveryInputs.notAfter(req.target()))));
        swap = steps.run("swap", () -> quick.swapDataDirectory(p));
      } else {
        dump = new DumpRestoreRequest(req.database(), req.repository(), plan,
            RecoveryInputs.scratchDatabase(db, recoveryId));
        DumpRestoreRequest d = dump;
        steps.run("restore", () -> streaming.restoreDump(d));
        verification = steps.run("verify", () -> quick.verify(new VerifyRequest(req.database(), 0,
            d.scratchDatabase(), null)));
        swap = steps.run("swap", () -> quick.swapDatabase(d));
      }
      swapped = true;
      report.fact("Live at", swap.liveAt());
      if (plan.pitr()) report.fact("Archiving", req.archivingFact());
      report.fact("Damaged copy kept as", swap.keptAs());
      for (VerifyReport.Check c : verification.checks()) {
        report.fact("Check: " + c.name(), c.value() + " (" + c.expectation() + ")");
      }
      AchievedRpo rpo = AchievedRpo.of(verification, plan, req, rto.startedAtMillis());

      steps.run("start-application", () -> appQuick.startApplication(app));
      appStopped = false;
      String health = steps.run("health-check", () -> quick.healthCheck(app));
      report.fact("Health", health);

      steps.finish("done");
      RunOutcome.succeeded(rto);
      metrics(rto.elapsedMillis(), rto.met());
      news.finished("last transaction restored " + rpo.record(report, db, method));
      RunReport done = report.report(RunReport.SUCCEEDED, rto, steps.steps());
      return new RecoveryResult(plan, swap, verification, rto.status(), steps.steps(), done,
          report.store(done), rpo);
    } catch (ActivityFailure | ApplicationFailure | CanceledFailure e) {
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      rto.stop();
      report.note("failed in step " + steps.last() + ": " + FailureMessage.of(e));
      boolean restartApp = appStopped;
      boolean keepScratch = swapped;
      PitrRequest p = pitr;
      DumpRestoreRequest d = dump;
      // Clean-up runs even when the workflow itself was cancelled.
      Workflow.newDetachedCancellationScope(() -> {
        compensate(restartApp, keepScratch, p, d);
        RunOutcome.failed(rto);
        news.failed(FailureMessage.of(e));
        metrics(Workflow.currentTimeMillis() - rto.startedAtMillis(), false);
        report.store(report.report(RunReport.FAILED, rto, steps.steps()));
      }).run();
      throw e;
    }
  }

  @Override
  public RecoveryProgress progress() {
    return new RecoveryProgress(request == null ? null : request.database().name(),
        request == null ? null : request.target().describe(), method, steps.current(),
        rto == null ? 0 : rto.elapsedMillis(), rto == null ? 0 : rto.rtoMillis(),
        rto == null ? null : rto.status(), steps.steps(), RunNews.projection(news));
  }

  private void metrics(long elapsedMillis, boolean met) {
    RecoveryMetrics.record(Workflow.getMetricsScope(), request.database().name(), method,
        elapsedMillis / 1000.0, rto.rtoMillis() / 1000.0, met);
  }

  private void compensate(boolean restartApp, boolean swapped, PitrRequest pitr,
      DumpRestoreRequest dump) {
    DatabaseRecoveryActivities cleanup = stubs.quick();
    if (!swapped) {
      try {
        if (pitr != null) cleanup.discardScratch(pitr);
        if (dump != null) cleanup.discardScratchDatabase(dump);
      } catch (ActivityFailure e) {
        report.note("could not remove the unfinished copy: " + FailureMessage.of(e));
      }
    }
    if (restartApp) {
      try {
        // The damaged database is still the live one (nothing was swapped) or the recovered
        // one is: either way the application was running before we stopped it.
        stubs.application().startApplication(new ApplicationRequest(request.database()));
        report.note("the application was started again");
      } catch (ActivityFailure e) {
        report.note("could not start the application again: " + FailureMessage.of(e));
      }
    }
  }
}
