package io.lifeboat.cli.wal;

import io.lifeboat.backup.base.BaseBackupRequest;
import io.lifeboat.backup.base.BaseBackupWorkflow;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.backup.BaseBackupCommand;
import io.lifeboat.cli.schedules.AppSchedules;
import io.lifeboat.cli.schedules.SchedulesCommand;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.offsite.OffsiteCopyRequest;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.offsite.OffsiteCopyWorkflowImpl;
import io.lifeboat.wal.WalCheckRequest;
import io.lifeboat.wal.WalCheckWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.util.List;
import java.util.function.Predicate;

/**
 * The point-in-time-recovery schedules of a database, beside its nightly dump: a base backup
 * (weekly by default) and the WAL archive check (every 6 hours, the seed's incremental cadence).
 */
public final class WalSchedules {
  private WalSchedules() {}

  /** {@code legacyIds}: the same schedule's ids before the estate was in them, to retire. */
  public record Plan(String id, String cron, Schedule schedule, List<String> legacyIds,
      Predicate<Schedule> ours) {}

  public static List<Plan> plans(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    WorkflowOptions.Builder base = BaseBackupCommand.options(c, db,
        BaseBackupCommand.workflowIdBase(c, db));
    WorkflowOptions.Builder check = WalCommand.options(c, db, WalCommand.workflowIdBase(c, db));
    if (taskQueue != null) {
      base.setTaskQueue(taskQueue);
      check.setTaskQueue(taskQueue);
    }
    String estate = c.estate();
    List<Plan> plans = new java.util.ArrayList<>(List.of(
        new Plan(BaseBackupWorkflow.workflowId(estate, db.name()), c.wal().baseSchedule(),
            AppSchedules.schedule(c,
            c.wal().baseSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(BaseBackupWorkflow.class)
                .setArguments(BaseBackupWorkflow.request(c, db)).setOptions(base.build()).build()),
            BaseBackupWorkflow.legacyIds(estate, db.name()),
            SchedulesCommand.ours(c, BaseBackupWorkflow.class, BaseBackupRequest.class,
                BaseBackupRequest::repository, r -> r.database().name().equals(db.name()))),
        new Plan(WalCheckWorkflow.workflowId(estate, db.name()), c.wal().checkSchedule(),
            AppSchedules.schedule(c,
            c.wal().checkSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(WalCheckWorkflow.class)
                .setArguments(WalCheckWorkflow.request(c, db)).setOptions(check.build()).build()),
            WalCheckWorkflow.legacyIds(estate, db.name()),
            SchedulesCommand.ours(c, WalCheckWorkflow.class, WalCheckRequest.class,
                WalCheckRequest::repository, r -> r.database().name().equals(db.name())))));
    if (c.offsite() != null) plans.add(offsiteWal(c, db, taskQueue));
    return List.copyOf(plans);
  }

  /**
   * With an offsite: the database's new WAL segments copied there every
   * offsite.walSyncMinutes (default a third of targets.rpoMinutes, at most 15), so the offsite
   * recovery point follows the primary's instead of the weekly base backup.
   */
  static Plan offsiteWal(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    String id = OffsiteCopyWorkflow.walSyncWorkflowId(c.estate(), db.name());
    String cron = everyMinutesCron(c.offsite().walSyncEveryMinutes(c.targets().rpoMinutes()));
    WorkflowOptions.Builder o = MonitoringPlans.options(c, id, OffsiteCopyWorkflowImpl.KIND_OFFSITE);
    if (taskQueue != null) o.setTaskQueue(taskQueue);
    return new Plan(id, cron, AppSchedules.schedule(c, cron,
        ScheduleActionStartWorkflow.newBuilder().setWorkflowType(OffsiteCopyWorkflow.class)
            .setArguments(OffsiteCopyWorkflow.walSyncRequest(c, c.offsite(), db.name()))
            .setOptions(o.build()).build()),
        List.of(),
        SchedulesCommand.ours(c, OffsiteCopyWorkflow.class, OffsiteCopyRequest.class,
            OffsiteCopyRequest::primary,
            r -> "wal".equals(r.kind()) && db.name().equals(r.source())));
  }

  /** Every N minutes as cron: {@code *}{@code /N * * * *}; whole hours past 59 minutes. */
  public static String everyMinutesCron(int minutes) {
    if (minutes < 60) return "*/" + Math.max(1, minutes) + " * * * *";
    int hours = Math.max(1, minutes / 60);
    return hours >= 24 ? "0 0 * * *" : "0 */" + hours + " * * *";
  }
}
