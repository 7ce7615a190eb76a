package io.lifeboat.recover.mariadb;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.RecoveryNotice;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Choose the backup, read it back whole (nothing touched if it is damaged), keep the damaged
 * databases' tables in DB_before_RUNKEY, load the dump, then compare every table's CHECKSUM
 * TABLE and row count with the manifest.
 */
public class MariaDbRecoveryWorkflowImpl implements MariaDbRecoveryWorkflow {
  public static final String KIND_MARIADB_RECOVERY = "mariadb-recovery";
  /**
   * The short steps heartbeat while they run (Keepalive), so a killed worker is noticed in
   * seconds, not after the 10 minute start-to-close (as the database recovery's, which the
   * fault suite found stalling).
   */
  static final Duration QUICK_HEARTBEAT = Duration.ofSeconds(10);
  private final StepRecorder steps = new StepRecorder();

  @Override
  public MariaDbRecoveryResult recover(MariaDbRecoveryRequest request) {
    String name = request.mariadb().name();
    RecoveryNotice news = RecoveryNotice.start(request.notifications(), KIND_MARIADB_RECOVERY,
        "MariaDB recovery", name, request.backupId());
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(name),
        KIND.valueSet(KIND_MARIADB_RECOVERY),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    MariaDbRecoveryActivities quick = ActivityStubs.of(MariaDbRecoveryActivities.class,
        request.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT);
    MariaDbRecoveryActivities streaming = ActivityStubs.of(MariaDbRecoveryActivities.class,
        request.retry(), Duration.ofHours(6), Duration.ofSeconds(60));
    MariaDbPitrActivities pitr = ActivityStubs.of(MariaDbPitrActivities.class,
        request.retry(), Duration.ofHours(6), Duration.ofSeconds(60));
    Long target = request.targetMillis();
    try {
      MariaDbManifest m;
      MariaDbReplayPlan plan = null;
      if (target == null) {
        m = steps.run("choose-backup", () -> quick.mariadbChooseBackup(
            request.repository(), name, request.backupId()));
      } else {
        // Binlogs first: everything the server wrote up to now, before recovery writes more.
        steps.run("archive-binlogs", () -> pitr.mariadbArchiveBinlogs(request.mariadb(),
            request.repository()));
        m = steps.run("choose-backup", () -> pitr.mariadbChooseBackupBefore(
            request.repository(), name, target));
        MariaDbReplayRequest replay = new MariaDbReplayRequest(request.mariadb(),
            request.repository(), m, target);
        plan = steps.run("plan-replay", () -> pitr.mariadbPlanReplay(replay));
      }
      MariaDbManifest chosen = m;
      news.backup(m.backupId());
      MariaDbRestoreRequest restore = new MariaDbRestoreRequest(request.mariadb(),
          request.repository(), chosen, Workflow.getInfo().getRunId().replace("-", "")
              .substring(0, 12));
      steps.run("check-stored", () -> streaming.mariadbCheckStored(restore));
      Map<String, String> kept = steps.run("set-aside", () -> quick.mariadbSetAside(restore));
      steps.run("load", () -> streaming.mariadbLoad(restore));
      int tables = steps.run("validate", () -> streaming.mariadbValidate(restore));
      if (plan != null) {
        MariaDbReplayPlan p = plan;
        steps.run("replay-binlogs", () -> pitr.mariadbReplay(new MariaDbReplayRequest(
            request.mariadb(), request.repository(), chosen, target), p));
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      news.finished(tables + " tables checked" + (plan == null ? ""
          : "; binlogs replayed to " + java.time.Instant.ofEpochMilli(target)));
      return new MariaDbRecoveryResult(name, m.backupId(), tables, kept, plan,
          steps.steps());
    } catch (ActivityFailure | io.temporal.failure.ApplicationFailure e) {
      steps.finish("failed");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      news.failed(steps, e);
      throw e;
    }
  }

  @Override
  public String step() {
    return steps.current();
  }
}
