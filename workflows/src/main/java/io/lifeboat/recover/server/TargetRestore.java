package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.lifeboat.run.Projection;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RtoClock;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The database and application part of a server recovery (steps 3 and 4): each database the
 * target lists as a database recovery child, each application as its newest (or the restore
 * point's) release staged, npm ci'd and swapped in, in the order of their priority
 * ({@link RestorePlan}). Runs recorded before issue 17 replay the one database, one
 * application sequence they were written with.
 */
final class TargetRestore {
  /** The version marker around the by-priority sequence (Workflow.getVersion). */
  static final String CHANGE_ID = "restore-by-priority";

  private final ServerRecoveryRequest req;
  private final ServerTargetConfig target;
  private final StepRecorder steps;
  private final ReportWriter report;
  private final RtoClock rto;
  private final ServerRecoveryActivities quick;
  private final RollbackActivities release;
  /**
   * The staging key (.rollback-KEY, replaced-KEY, the swap marker): the random end of the run
   * id (RunKeys), not its first 8 characters, which every run started in the same minute
   * shares. Runs recorded before keep the key they staged under.
   */
  private String runKey;

  TargetRestore(ServerRecoveryRequest req, ServerTargetConfig target, StepRecorder steps,
      ReportWriter report, RtoClock rto, ServerRecoveryActivities quick,
      RollbackActivities release) {
    this.req = req;
    this.target = target;
    this.steps = steps;
    this.report = report;
    this.rto = rto;
    this.quick = quick;
    this.release = release;
  }

  /** Restores everything; returns the target's own application's staged release. */
  StagedRelease restore() {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return recordedBefore();
    }
    List<RestoreItem> order = RestorePlan.order(req);
    report.fact("Restore order", String.join(", ", order.stream().map(RestoreItem::label)
        .toList()));
    StagedRelease own = null;
    for (int n = 0; n < order.size(); n++) {
      RestoreItem i = order.get(n);
      long started = Workflow.currentTimeMillis();
      String what;
      try {
        if (i.isDatabase()) {
          what = steps.run(RestorePlan.step(target, i), () -> database(i.database()));
        } else {
          StagedRelease s = steps.run(RestorePlan.step(target, i), () -> application(i));
          if (i.name().equals(target.application())) own = s;
          what = s.source() + ", commit " + s.commit();
        }
      } catch (RuntimeException e) {
        report.fact(i.label(), "failed after " + Projection.duration(
            Workflow.currentTimeMillis() - started));
        for (RestoreItem later : order.subList(n + 1, order.size())) {
          report.fact(later.label(), "not started");
        }
        throw e;
      }
      long back = rto.elapsedMillis();
      report.fact(i.label(), what + "; restored in " + Projection.duration(
          Workflow.currentTimeMillis() - started) + ", back " + Projection.duration(back)
          + " into the run (RTO " + i.rtoMinutes() + " min: " + (back <= i.rtoMinutes() * 60_000L
              ? "met" : "missed") + ")");
    }
    return own;
  }

  /** A database: its recovery as a child workflow, onto its cluster on the target. */
  private String database(DatabaseConfig prod) {
    DatabaseConfig db = TargetEstate.database(target, prod);
    boolean own = prod.name().equals(target.database());
    RecoveryResult r = ServerStubs.database(target.name(), db.name())
        .recover(own ? req.databaseRequest(db) : req.latestDatabaseRequest(db));
    String said = db.name() + " on " + db.address() + " from " + r.plan().backupId() + " ("
        + r.plan().method() + ")";
    if (own) report.fact("Database", said);
    return said;
  }

  /** An application: the newest stored build (or the point's), extracted safely, npm ci. */
  private StagedRelease application(RestoreItem i) {
    ApplicationConfig app = TargetEstate.application(target, i.application());
    boolean own = i.name().equals(target.application());
    if (runKey == null) runKey = RunKeys.forThisRun();
    // A restore point names its backup (checked to exist); else the newest.
    String id = quick.newestRelease(new StageRequest(app, req.repository(), runKey,
        own ? req.applicationBackupId() : null));
    StagedRelease s = release.stageRelease(new StageRequest(app, req.repository(), runKey, id));
    ReleaseStep rs = new ReleaseStep(app, s.stagingDir(), runKey);
    release.installDependencies(rs);
    release.swapRelease(rs);
    if (own) {
      report.fact("Release", s.source() + ", commit " + s.commit() + ", " + s.fileCount()
          + " files");
    }
    return s;
  }

  /** Steps 3 and 4 as runs recorded before issue 17 ran them. */
  private StagedRelease recordedBefore() {
    DatabaseConfig db = TargetEstate.database(target, req.database());
    RecoveryResult dbResult = steps.run("database", () -> ServerStubs.database(target.name(),
        db.name()).recover(req.databaseRequest(db)));
    report.fact("Database", db.name() + " on " + db.address() + " from "
        + dbResult.plan().backupId() + " (" + dbResult.plan().method() + ")");
    ApplicationConfig app = TargetEstate.application(target, req.application());
    String key = RunKeys.forThisRun();
    StagedRelease staged = steps.run("application", () -> {
      String id = quick.newestRelease(new StageRequest(app, req.repository(), key,
          req.applicationBackupId()));
      StagedRelease s = release.stageRelease(new StageRequest(app, req.repository(), key, id));
      ReleaseStep rs = new ReleaseStep(app, s.stagingDir(), key);
      release.installDependencies(rs);
      release.swapRelease(rs);
      return s;
    });
    report.fact("Release", staged.source() + ", commit " + staged.commit() + ", "
        + staged.fileCount() + " files");
    return staged;
  }
}
