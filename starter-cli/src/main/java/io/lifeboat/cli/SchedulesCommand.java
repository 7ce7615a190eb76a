package io.lifeboat.cli;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.workflows.backup.DatabaseBackupWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedules", description = "Temporal Schedules that fire the backups.",
    subcommands = {SchedulesCommand.Apply.class, SchedulesCommand.ListSchedules.class})
final class SchedulesCommand {
  @ParentCommand LifeboatCli root;

  /** The schedule that config asks for; creating or updating it to this is idempotent. */
  static Schedule desired(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    var options = BackupPlans.options(c, db, BackupPlans.workflowIdBase(db));
    if (taskQueue != null) options.setTaskQueue(taskQueue);
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(DatabaseBackupWorkflow.class)
            .setArguments(BackupPlans.request(c, db))
            .setOptions(options.build())
            .build())
        .setSpec(ScheduleSpec.newBuilder()
            .setCronExpressions(List.of(db.backupSchedule()))
            .setTimeZoneName(c.schedules().timezone())
            .build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofMinutes(c.schedules().catchupWindowMinutes()))
            .build())
        .setState(ScheduleState.newBuilder().setPaused(c.schedules().paused())
            .setNote("managed by lifeboat schedules apply").build())
        .build();
  }

  /** The daily verification and the hourly check (issue #7), as the config asks for them. */
  static java.util.Map<String, Schedule> monitoring(LifeboatConfig c, String taskQueue) {
    var verifyOptions = MonitoringPlans.options(c, MonitoringPlans.verifyId(c),
        io.lifeboat.workflows.common.LifeboatSearchAttributes.KIND_VERIFY);
    var checkOptions = MonitoringPlans.options(c, MonitoringPlans.checkId(c),
        io.lifeboat.workflows.common.LifeboatSearchAttributes.KIND_CHECK);
    if (taskQueue != null) {
      verifyOptions.setTaskQueue(taskQueue);
      checkOptions.setTaskQueue(taskQueue);
    }
    var map = new java.util.LinkedHashMap<String, Schedule>();
    map.put(MonitoringPlans.verifyId(c), schedule(
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(io.lifeboat.workflows.verify.BackupVerificationWorkflow.class)
            .setArguments(MonitoringPlans.verification(c, c.databases(),
                c.verification().restore()))
            .setOptions(verifyOptions.build()).build(),
        c.verification().schedule(), c));
    map.put(MonitoringPlans.checkId(c), schedule(
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(io.lifeboat.workflows.check.RepositoryCheckWorkflow.class)
            .setArguments(MonitoringPlans.check(c))
            .setOptions(checkOptions.build()).build(),
        c.checks().schedule(), c));
    return map;
  }

  static String cronOf(LifeboatConfig c, String id) {
    return id.equals(MonitoringPlans.verifyId(c)) ? c.verification().schedule()
        : c.checks().schedule();
  }

  private static Schedule schedule(ScheduleActionStartWorkflow action, String cron,
      LifeboatConfig c) {
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron))
            .setTimeZoneName(c.schedules().timezone()).build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofMinutes(c.schedules().catchupWindowMinutes()))
            .build())
        .setState(ScheduleState.newBuilder().setPaused(c.schedules().paused())
            .setNote("managed by lifeboat schedules apply").build())
        .build();
  }

  static String createOrUpdate(ScheduleClient schedules, String id, Schedule want) {
    ScheduleHandle handle = schedules.getHandle(id);
    try {
      handle.describe();
      handle.update(input -> new ScheduleUpdate(want));
      return "updated";
    } catch (ScheduleException notThere) {
      schedules.createSchedule(id, want, ScheduleOptions.newBuilder().build());
      return "created";
    }
  }

  @Command(name = "apply", description = "Create or update one schedule per database (idempotent).")
  static final class Apply implements Callable<Integer> {
    @ParentCommand SchedulesCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--task-queue", hidden = true)
    String taskQueue;

    @Option(names = "--database", paramLabel = "NAME", description = "only this database")
    String database;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        ScheduleClient schedules = s.temporal().schedules();
        List<DatabaseConfig> dbs = database == null ? c.databases() : List.of(s.database(database));
        for (DatabaseConfig db : dbs) {
          String id = BackupPlans.scheduleId(db);
          Schedule want = desired(c, db, taskQueue);
          ScheduleHandle handle = schedules.getHandle(id);
          String what;
          try {
            handle.describe();
            handle.update(input -> new ScheduleUpdate(want));
            what = "updated";
          } catch (ScheduleException notThere) {
            schedules.createSchedule(id, want, ScheduleOptions.newBuilder().build());
            what = "created";
          }
          out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what, id,
              db.backupSchedule(), c.schedules().timezone(), c.schedules().catchupWindowMinutes());
          for (WalSchedules.Plan plan : WalSchedules.plans(c, db, taskQueue)) {
            ScheduleHandle h = schedules.getHandle(plan.id());
            try {
              h.describe();
              h.update(input -> new ScheduleUpdate(plan.schedule()));
              what = "updated";
            } catch (ScheduleException notThere) {
              schedules.createSchedule(plan.id(), plan.schedule(),
                  ScheduleOptions.newBuilder().build());
              what = "created";
            }
            out.printf("%s schedule %s: '%s' %s%n", what, plan.id(), plan.cron(),
                c.schedules().timezone());
          }
        }
        if (database == null) {
          for (var e : monitoring(c, taskQueue).entrySet()) {
            String what = createOrUpdate(schedules, e.getKey(), e.getValue());
            out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what,
                e.getKey(), cronOf(c, e.getKey()), c.schedules().timezone(),
                c.schedules().catchupWindowMinutes());
          }
        }
        if (database == null) AppSchedules.apply(schedules, c, taskQueue, out);
        return 0;
      }
    }
  }

  @Command(name = "list", description = "Schedules and their next run times.")
  static final class ListSchedules implements Callable<Integer> {
    @ParentCommand SchedulesCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        ScheduleClient schedules = s.temporal().schedules();
        var rows = new java.util.ArrayList<java.util.Map<String, Object>>();
        for (DatabaseConfig db : c.databases()) {
          for (WalSchedules.Plan plan : WalSchedules.plans(c, db, null)) {
            try {
              ScheduleDescription d = schedules.getHandle(plan.id()).describe();
              rows.add(java.util.Map.of("id", plan.id(), "database", db.name(), "cron",
                  plan.cron(), "paused", d.getSchedule().getState().isPaused(), "next",
                  d.getInfo().getNextActionTimes().stream().limit(3).map(Instant::toString)
                      .toList(), "recentRuns", d.getInfo().getRecentActions().size()));
            } catch (ScheduleException missing) {
              rows.add(java.util.Map.of("id", plan.id(), "database", db.name(), "cron",
                  plan.cron(), "missing", true));
            }
          }
          String id = BackupPlans.scheduleId(db);
          try {
            ScheduleDescription d = schedules.getHandle(id).describe();
            List<String> next = d.getInfo().getNextActionTimes().stream().limit(3)
                .map(Instant::toString).toList();
            rows.add(java.util.Map.of("id", id, "database", db.name(), "cron", db.backupSchedule(),
                "paused", d.getSchedule().getState().isPaused(), "next", next,
                "recentRuns", d.getInfo().getRecentActions().size()));
          } catch (ScheduleException missing) {
            rows.add(java.util.Map.of("id", id, "database", db.name(), "cron", db.backupSchedule(),
                "missing", true));
          }
        }
        for (String id : List.of(MonitoringPlans.verifyId(c), MonitoringPlans.checkId(c))) {
          try {
            ScheduleDescription d = schedules.getHandle(id).describe();
            List<String> next = d.getInfo().getNextActionTimes().stream().limit(3)
                .map(Instant::toString).toList();
            rows.add(java.util.Map.of("id", id, "cron", cronOf(c, id),
                "paused", d.getSchedule().getState().isPaused(), "next", next,
                "recentRuns", d.getInfo().getRecentActions().size()));
          } catch (ScheduleException missing) {
            rows.add(java.util.Map.of("id", id, "cron", cronOf(c, id), "missing", true));
          }
        }
        rows.addAll(AppSchedules.rows(schedules, c));
        if (json) {
          out.println(Json.write(rows));
          return 0;
        }
        for (var r : rows) {
          if (r.containsKey("missing")) {
            out.printf("%-32s not created; run: lifeboat schedules apply%n", r.get("id"));
          } else {
            out.printf("%-32s %-12s %s next: %s%n", r.get("id"), r.get("cron"),
                Boolean.TRUE.equals(r.get("paused")) ? "PAUSED" : "active",
                String.join(", ", (List<String>) r.get("next")));
          }
        }
        return 0;
      }
    }
  }
}
