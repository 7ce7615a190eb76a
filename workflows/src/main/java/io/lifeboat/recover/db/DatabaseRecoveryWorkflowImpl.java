package io.lifeboat.recover.db;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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

public class DatabaseRecoveryWorkflowImpl implements DatabaseRecoveryWorkflow {
  private static final Logger log = Workflow.getLogger(DatabaseRecoveryWorkflowImpl.class);
  public static final String REPORT_KIND = "database-recovery";

  /** Past this share of the RTO, still running, the recovery is at-risk (as a rollback is). */
  static final double AT_RISK = 0.8;
  static final String RTO_AT_RISK_CHANGE = "rto-at-risk";

  /** Download and replay may take hours; a silent worker is declared dead after this. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The short steps heartbeat while they run (Keepalive), so a killed worker is noticed in
   * seconds; with start-to-close alone the fault suite saw a 10 minute stall per kill.
   */
  static final Duration QUICK_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private final StepRecorder steps = new StepRecorder();
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private RecoveryRequest request;
  private long startedAt;
  private long rtoMillis;
  private String method = "undecided";
  private String rtoStatus = LifeboatSearchAttributes.RTO_ON_TRACK;
  private boolean finished;

  @Override
  public RecoveryResult recover(RecoveryRequest req) {
    request = req;
    startedAt = Workflow.currentTimeMillis();
    rtoMillis = req.rtoMinutes() * 60_000L;
    String db = req.database().name();
    String recoveryId = RepositoryLayout.backupId(startedAt);
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(db),
        KIND.valueSet(LifeboatSearchAttributes.KIND_DB_RECOVERY),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING),
        RTO_STATUS.valueSet(rtoStatus));
    // The web UI's list shows a breach when it happens, not only when the run ends.
    Async.procedure(this::watchRto);
    facts.put("Target", req.target().describe());

    DatabaseRecoveryActivities quick =
        activities(req.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT_TIMEOUT);
    DatabaseRecoveryActivities streaming =
        activities(req.retry(), Duration.ofHours(12), HEARTBEAT_TIMEOUT);

    boolean appStopped = false;
    boolean swapped = false;
    PitrRequest pitr = null;
    DumpRestoreRequest dump = null;
    try {
      RecoveryPlan plan = step("plan", () -> quick.plan(
          new PlanRequest(req.database(), req.repository(), req.target())));
      method = plan.method();
      facts.put("Method", plan.pitr() ? "base backup + WAL replay" : "full dump restore");
      facts.put("Backup used", plan.backupId() + " (" + plan.objectKey() + ")");
      ClusterFacts cluster = step("assess", () -> quick.assess(req.database()));
      facts.put("Server before", cluster.reachable()
          ? "answering, PostgreSQL " + cluster.serverVersion() + ", " + cluster.sizeBytes() + " bytes"
          : "not answering: " + cluster.problem());
      if (!plan.pitr() && !cluster.reachable()) {
        throw FailureKind.RECOVERY_FAILED.failure("the server of " + db + " does not answer ("
            + cluster.problem() + ") and the repository has no base backup to rebuild it from;"
            + " a dump needs a running server");
      }
      String dataDirectory = pitr(plan) ? dataDirectory(req, cluster, plan) : null;

      step("stop-application", () -> quick.stopApplication(new ApplicationRequest(req.database())));
      appStopped = true;

      SwapResult swap;
      VerifyReport verification;
      if (plan.pitr()) {
        PitrRequest draft = new PitrRequest(req.database(), req.repository(), plan, req.target(),
            new ScratchCluster(dataDirectory, null, null, 0), recoveryId);
        ScratchCluster scratch = step("prepare", () -> quick.prepareScratch(draft));
        pitr = new PitrRequest(req.database(), req.repository(), plan, req.target(), scratch,
            recoveryId);
        PitrRequest p = pitr;
        step("download", () -> streaming.downloadBase(p));
        ReplayResult replay = step("replay", () -> streaming.replay(p));
        facts.put("Replay", replay.walSegments() + " WAL segments, promoted at " + replay.endLsn()
            + " on timeline " + replay.timeline()
            + (replay.stoppedAt() == null ? "" : "; " + replay.stoppedAt()));
        verification = step("verify", () -> quick.verify(new VerifyRequest(req.database(),
            scratch.scratchPort(), db, notAfter(req.target()))));
        swap = step("swap", () -> quick.swapDataDirectory(p));
      } else {
        dump = new DumpRestoreRequest(req.database(), req.repository(), plan,
            scratchDatabase(db, recoveryId));
        DumpRestoreRequest d = dump;
        step("restore", () -> streaming.restoreDump(d));
        verification = step("verify", () -> quick.verify(new VerifyRequest(req.database(), 0,
            d.scratchDatabase(), null)));
        swap = step("swap", () -> quick.swapDatabase(d));
      }
      swapped = true;
      facts.put("Live at", swap.liveAt());
      facts.put("Damaged copy kept as", swap.keptAs());
      for (VerifyReport.Check c : verification.checks()) {
        facts.put("Check: " + c.name(), c.value() + " (" + c.expectation() + ")");
      }

      step("start-application", () -> quick.startApplication(new ApplicationRequest(req.database())));
      appStopped = false;
      String health = step("health-check", () -> quick.healthCheck(
          new ApplicationRequest(req.database())));
      facts.put("Health", health);

      steps.finish("done");
      finished = true;
      long now = Workflow.currentTimeMillis();
      rtoStatus = now - startedAt <= rtoMillis ? LifeboatSearchAttributes.RTO_MET
          : LifeboatSearchAttributes.RTO_BREACHED;
      Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus),
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      RecoveryMetrics.record(Workflow.getMetricsScope(), db, method, (now - startedAt) / 1000.0,
          rtoMillis / 1000.0, LifeboatSearchAttributes.RTO_MET.equals(rtoStatus));
      RunReport report = report(RunReport.SUCCEEDED, now);
      String reportKey = storeReport(report);
      return new RecoveryResult(plan, swap, verification, rtoStatus, steps.steps(), report,
          reportKey);
    } catch (ActivityFailure | ApplicationFailure | CanceledFailure e) {
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      finished = true;
      notes.add("failed in step " + lastStep() + ": " + message(e));
      boolean restartApp = appStopped;
      boolean keepScratch = swapped;
      PitrRequest p = pitr;
      DumpRestoreRequest d = dump;
      // Clean-up runs even when the workflow itself was cancelled.
      Workflow.newDetachedCancellationScope(() -> {
        compensate(restartApp, keepScratch, p, d);
        rtoStatus = LifeboatSearchAttributes.RTO_BREACHED;
        Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus),
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        long now = Workflow.currentTimeMillis();
        RecoveryMetrics.record(Workflow.getMetricsScope(), db, method, (now - startedAt) / 1000.0,
            rtoMillis / 1000.0, false);
        storeReport(report(RunReport.FAILED, now));
      }).run();
      throw e;
    }
  }

  @Override
  public RecoveryProgress progress() {
    long elapsed = (finished && !steps.steps().isEmpty()
        ? steps.steps().get(steps.steps().size() - 1).finishedAtMillis()
        : Workflow.currentTimeMillis()) - startedAt;
    return new RecoveryProgress(request == null ? null : request.database().name(),
        request == null ? null : request.target().describe(), method, steps.current(), elapsed,
        rtoMillis, rtoStatus, steps.steps());
  }

  private void watchRto() {
    // Runs recorded before at-risk existed had one timer for the whole RTO; they replay as such.
    if (Workflow.getVersion(RTO_AT_RISK_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      long atRisk = (long) (rtoMillis * AT_RISK);
      Workflow.await(Duration.ofMillis(Math.max(1, atRisk)), () -> finished);
      if (!finished && LifeboatSearchAttributes.RTO_ON_TRACK.equals(rtoStatus)) {
        rtoStatus = LifeboatSearchAttributes.RTO_AT_RISK;
        Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus));
        log.warn("recovery of {} has used {} % of its RTO of {} min and is still in step {}",
            request.database().name(), Math.round(AT_RISK * 100), request.rtoMinutes(),
            steps.current());
      }
      long left = rtoMillis - (Workflow.currentTimeMillis() - startedAt);
      Workflow.await(Duration.ofMillis(Math.max(1, left)), () -> finished);
    } else {
      Workflow.await(Duration.ofMillis(Math.max(1, rtoMillis)), () -> finished);
    }
    if (!finished && !LifeboatSearchAttributes.RTO_BREACHED.equals(rtoStatus)) {
      rtoStatus = LifeboatSearchAttributes.RTO_BREACHED;
      Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus));
      log.warn("recovery of {} has used its RTO of {} min and is still in step {}",
          request.database().name(), request.rtoMinutes(), steps.current());
    }
  }

  /** Runs a step; after it, the RTO status is brought up to date in the search attribute. */
  private <T> T step(String name, java.util.function.Supplier<T> body) {
    try {
      return steps.run(name, body);
    } finally {
      if (!finished && !LifeboatSearchAttributes.RTO_BREACHED.equals(rtoStatus)
          && Workflow.currentTimeMillis() - startedAt > rtoMillis) {
        rtoStatus = LifeboatSearchAttributes.RTO_BREACHED;
        Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus));
      }
    }
  }

  private void step(String name, Runnable body) {
    step(name, () -> {
      body.run();
      return null;
    });
  }

  private static boolean pitr(RecoveryPlan plan) {
    return plan.pitr();
  }

  /** Config first (the operator's word), then the live server, then the base backup's record. */
  private static String dataDirectory(RecoveryRequest req, ClusterFacts cluster, RecoveryPlan plan) {
    String configured = req.database().recovery().dataDirectory();
    if (configured != null) return configured;
    if (cluster.dataDirectory() != null) return cluster.dataDirectory();
    if (plan.dataDirectory() != null) return plan.dataDirectory();
    throw FailureKind.CONFIG_INVALID.failure("the data directory of " + req.database().name()
        + " is unknown: the server does not answer and the base backup does not record it;"
        + " set databases[].recovery.dataDirectory");
  }

  private static String notAfter(RecoveryTarget target) {
    return RecoveryTarget.TIME.equals(target.mode()) ? target.time() : null;
  }

  /** NAME_lb_<id>, within PostgreSQL's 63 bytes. */
  static String scratchDatabase(String db, String recoveryId) {
    String suffix = "_lb_" + recoveryId.toLowerCase();
    return (db.length() + suffix.length() > 63 ? db.substring(0, 63 - suffix.length()) : db)
        + suffix;
  }

  private void compensate(boolean restartApp, boolean swapped, PitrRequest pitr,
      DumpRestoreRequest dump) {
    DatabaseRecoveryActivities cleanup =
        activities(request.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT_TIMEOUT);
    if (!swapped) {
      try {
        if (pitr != null) cleanup.discardScratch(pitr);
        if (dump != null) cleanup.discardScratchDatabase(dump);
      } catch (ActivityFailure e) {
        notes.add("could not remove the unfinished copy: " + message(e));
      }
    }
    if (restartApp) {
      try {
        // The damaged database is still the live one (nothing was swapped) or the recovered
        // one is: either way the application was running before we stopped it.
        cleanup.startApplication(new ApplicationRequest(request.database()));
        notes.add("the application was started again");
      } catch (ActivityFailure e) {
        notes.add("could not start the application again: " + message(e));
      }
    }
  }

  private RunReport report(String outcome, long finishedAt) {
    return new RunReport(Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId(),
        REPORT_KIND, request.database().name(), request.estate(), startedAt, finishedAt, outcome,
        rtoMillis, steps.steps(), facts, notes);
  }

  private String storeReport(RunReport report) {
    ReportActivities reports = Workflow.newActivityStub(ReportActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                .setDoNotRetry(FailureKind.nonRetryableTypes()).build())
            .build());
    try {
      return reports.storeReport(
          new ReportActivities.StoreReportRequest(request.repository(), report)).jsonKey();
    } catch (ActivityFailure e) {
      // The database is what matters; a report that could not be stored is said, not fatal.
      log.warn("could not store the recovery report: {}", message(e));
      return null;
    }
  }

  private String lastStep() {
    List<io.lifeboat.run.StepTiming> done = steps.steps();
    return done.isEmpty() ? "start" : done.get(done.size() - 1).step();
  }

  static String message(Throwable e) {
    Throwable t = e instanceof ActivityFailure && e.getCause() != null ? e.getCause() : e;
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(t);
  }

  private static DatabaseRecoveryActivities activities(
      RetryConfig retry, Duration startToClose, Duration heartbeat) {
    return ActivityStubs.of(DatabaseRecoveryActivities.class, retry, startToClose, heartbeat);
  }
}
