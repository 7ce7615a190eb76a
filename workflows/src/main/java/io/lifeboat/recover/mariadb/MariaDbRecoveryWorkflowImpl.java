package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.SourceRecoveryRun;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Choose the backup, read it back whole (nothing touched if it is damaged), keep the damaged
 * databases' tables in DB_before_RUNKEY, load the dump, then compare every table's CHECKSUM
 * TABLE and row count with the manifest. A physical backup goes to {@link
 * MariaDbPhysicalRecovery} instead (a new data directory, swapped in after validation).
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
  private boolean physical;

  @Override
  public MariaDbRecoveryResult recover(MariaDbRecoveryRequest request) {
    String name = request.mariadb().name();
    SourceRecoveryRun news = SourceRecoveryRun.start(request.timing(), request.notifications(),
        request.repository(), KIND_MARIADB_RECOVERY, "MariaDB recovery", name,
        request.backupId(), steps, () -> planned(request, physical));
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
      physical = m.physical();
      news.fact("Method", m.physical() ? "physical (mariadb-backup)" : "logical (mariadb-dump)");
      if (target != null) news.fact("Target", java.time.Instant.ofEpochMilli(target).toString());
      if (m.physical()) {
        // Only runs that chose a physical backup take this branch (older code refused it in
        // choose-backup, so no recorded history reaches here).
        MariaDbRecoveryResult res = MariaDbPhysicalRecovery.run(request, m, plan, steps);
        news.fact("Tables checked", String.valueOf(res.tables()));
        news.fact("Damaged data directory kept at", res.kept().values().iterator().next());
        steps.finish("done");
        String report = news.succeeded(res.tables() + " tables checked; the damaged data"
            + " directory is kept at " + res.kept().values().iterator().next()
            + (plan == null ? "" : "; binlogs replayed to "
                + java.time.Instant.ofEpochMilli(target)));
        return new MariaDbRecoveryResult(res.name(), res.backupId(), res.tables(), res.kept(),
            res.replay(), steps.steps(), report);
      }
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
      news.fact("Tables checked", String.valueOf(tables));
      news.fact("Damaged tables kept in", kept.toString());
      steps.finish("done");
      String report = news.succeeded(tables + " tables checked" + (plan == null ? ""
          : "; binlogs replayed to " + java.time.Instant.ofEpochMilli(target)));
      return new MariaDbRecoveryResult(name, m.backupId(), tables, kept, plan,
          steps.steps(), report);
    } catch (ActivityFailure | io.temporal.failure.ApplicationFailure e) {
      steps.finish("failed");
      news.failed(e, () -> {});
      throw e;
    }
  }

  /** The steps a run expects (logical until the chosen backup says physical), for its projection. */
  static List<String> planned(MariaDbRecoveryRequest request, boolean physical) {
    List<String> out = new ArrayList<>();
    boolean toTime = request.targetMillis() != null;
    if (toTime) out.add("archive-binlogs");
    out.add("choose-backup");
    if (toTime) out.add("plan-replay");
    if (physical) {
      if (request.mariadb().host() != null) out.add("await-agent");
      out.addAll(List.of("restore-dir", toTime ? "replay-binlogs" : "check-copy",
          "swap-and-start", "validate"));
    } else {
      out.addAll(List.of("check-stored", "set-aside", "load", "validate"));
      if (toTime) out.add("replay-binlogs");
    }
    return out;
  }

  @Override
  public String step() {
    return steps.current();
  }
}
