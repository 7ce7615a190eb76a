package io.lifeboat.cli;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.backup.base.BaseBackupWorkflow;
import io.lifeboat.wal.WalCheckWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.util.List;

/**
 * The point-in-time-recovery schedules of a database, beside its nightly dump: a base backup
 * (weekly by default) and the WAL archive check (every 6 hours, the seed's incremental cadence).
 */
final class WalSchedules {
  private WalSchedules() {}

  record Plan(String id, String cron, Schedule schedule) {}

  static List<Plan> plans(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    WorkflowOptions.Builder base = BaseBackupCommand.options(c, db,
        BaseBackupCommand.workflowIdBase(db));
    WorkflowOptions.Builder check = WalCommand.options(c, db, WalCommand.workflowIdBase(db));
    if (taskQueue != null) {
      base.setTaskQueue(taskQueue);
      check.setTaskQueue(taskQueue);
    }
    List<Plan> plans = new java.util.ArrayList<>();
    plans.add(
        new Plan("backup-base-" + db.name(), c.wal().baseSchedule(), AppSchedules.schedule(c,
            c.wal().baseSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(BaseBackupWorkflow.class)
                .setArguments(BaseBackupCommand.request(c, db)).setOptions(base.build()).build())));
    plans.add(new Plan("wal-check-" + db.name(), c.wal().checkSchedule(), AppSchedules.schedule(c,
            c.wal().checkSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(WalCheckWorkflow.class)
                .setArguments(WalCommand.request(c, db)).setOptions(check.build()).build())));
    if (c.offsite() != null) plans.add(offsiteWal(c, db, taskQueue));
    return plans;
  }

  static String offsiteWalId(DatabaseConfig db) {
    return "offsite-wal-" + db.name();
  }

  /**
   * With an offsite: the database's new WAL segments copied there every
   * offsite.walSyncMinutes (default a third of targets.rpoMinutes, at most 15), so the offsite
   * recovery point follows the primary's instead of the weekly base backup. Failures are not
   * notified run by run (every few minutes): OffsiteCopyFailed and OffsiteWalBehind alert.
   */
  static Plan offsiteWal(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    int every = c.offsite().walSyncEveryMinutes(c.targets().rpoMinutes());
    String cron = everyMinutesCron(every);
    WorkflowOptions.Builder o = MonitoringPlans.options(c, offsiteWalId(db),
        io.lifeboat.offsite.OffsiteCopyWorkflowImpl.KIND_OFFSITE);
    if (taskQueue != null) o.setTaskQueue(taskQueue);
    return new Plan(offsiteWalId(db), cron, AppSchedules.schedule(c, cron,
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(io.lifeboat.offsite.OffsiteCopyWorkflow.class)
            .setArguments(new io.lifeboat.offsite.OffsiteCopyRequest(c.repository(), c.offsite(),
                "wal", db.name(), io.lifeboat.offsite.OffsiteScopes.walOf(db.name()), false,
                c.retries(), null))
            .setOptions(o.build()).build()));
  }

  /** Every N minutes as cron: {@code *}{@code /N * * * *}; whole hours past 59 minutes. */
  static String everyMinutesCron(int minutes) {
    if (minutes < 60) return "*/" + Math.max(1, minutes) + " * * * *";
    int hours = Math.max(1, minutes / 60);
    return hours >= 24 ? "0 0 * * *" : "0 */" + hours + " * * *";
  }
}
