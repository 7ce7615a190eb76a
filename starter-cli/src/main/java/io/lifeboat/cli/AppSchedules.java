package io.lifeboat.cli;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.workflows.app.ApplicationBackupWorkflow;
import io.lifeboat.workflows.app.ConfigurationBackupWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application (daily, the seed's 03:00) and configuration (weekly, Sunday 04:00) schedules,
 * applied and listed beside the database ones by {@code schedules apply|list}.
 */
final class AppSchedules {
  private AppSchedules() {}

  record Planned(String id, String cron, String subject, Schedule schedule) {}

  static List<Planned> planned(LifeboatConfig c, String taskQueue) {
    List<Planned> out = new ArrayList<>();
    for (ApplicationConfig a : c.applications()) {
      var options = AppPlans.options(c, AppPlans.appBackupId(a), AppPlans.APP, taskQueue).build();
      out.add(new Planned(AppPlans.appBackupId(a), a.backupSchedule(), "app " + a.name(),
          schedule(c, a.backupSchedule(), ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(ApplicationBackupWorkflow.class)
              .setArguments(AppPlans.appBackup(c, a, "schedule"))
              .setOptions(options).build())));
    }
    if (!c.configuration().isEmpty()) {
      String id = AppPlans.configBackupId(c);
      var options = AppPlans.options(c, id, AppPlans.CONFIG, taskQueue).build();
      out.add(new Planned(id, c.configuration().schedule(), "configuration",
          schedule(c, c.configuration().schedule(), ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(ConfigurationBackupWorkflow.class)
              .setArguments(AppPlans.configBackup(c))
              .setOptions(options).build())));
    }
    out.addAll(DrillPlans.planned(c, taskQueue)); // DR drills (issue #6)
    return out;
  }

  static Schedule schedule(LifeboatConfig c, String cron, ScheduleActionStartWorkflow action) {
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron))
            .setTimeZoneName(c.schedules().timezone()).build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofMinutes(c.schedules().catchupWindowMinutes())).build())
        .setState(ScheduleState.newBuilder().setPaused(c.schedules().paused())
            .setNote("managed by lifeboat schedules apply").build())
        .build();
  }

  static void apply(ScheduleClient schedules, LifeboatConfig c, String taskQueue, PrintWriter out) {
    for (Planned p : planned(c, taskQueue)) {
      String what = SchedulesCommand.createOrUpdate(schedules, p.id(), p.schedule());
      out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what, p.id(),
          p.cron(), c.schedules().timezone(), c.schedules().catchupWindowMinutes());
    }
  }

  static List<Map<String, Object>> rows(ScheduleClient schedules, LifeboatConfig c) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Planned p : planned(c, null)) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("subject", p.subject());
      fields.put("cron", p.cron());
      rows.add(SchedulesCommand.row(schedules, p.id(), fields));
    }
    return rows;
  }
}
