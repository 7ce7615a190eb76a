package io.lifeboat.cli.wal;

import io.lifeboat.cli.backup.BaseBackupCommand;
import io.lifeboat.cli.schedules.AppSchedules;
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
public final class WalSchedules {
  private WalSchedules() {}

  public record Plan(String id, String cron, Schedule schedule) {}

  public static List<Plan> plans(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    WorkflowOptions.Builder base = BaseBackupCommand.options(c, db,
        BaseBackupCommand.workflowIdBase(db));
    WorkflowOptions.Builder check = WalCommand.options(c, db, WalCommand.workflowIdBase(db));
    if (taskQueue != null) {
      base.setTaskQueue(taskQueue);
      check.setTaskQueue(taskQueue);
    }
    return List.of(
        new Plan("backup-base-" + db.name(), c.wal().baseSchedule(), AppSchedules.schedule(c,
            c.wal().baseSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(BaseBackupWorkflow.class)
                .setArguments(BaseBackupCommand.request(c, db)).setOptions(base.build()).build())),
        new Plan("wal-check-" + db.name(), c.wal().checkSchedule(), AppSchedules.schedule(c,
            c.wal().checkSchedule(),
            ScheduleActionStartWorkflow.newBuilder().setWorkflowType(WalCheckWorkflow.class)
                .setArguments(WalCommand.request(c, db)).setOptions(check.build()).build())));
  }
}
