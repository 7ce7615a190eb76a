package io.lifeboat.cli.schedules;

import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupRequest;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.drill.DrillPlans;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
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
import java.util.function.Predicate;

/**
 * The application (daily, the seed's 03:00) and configuration (weekly, Sunday 04:00) schedules,
 * the other sources' ({@link SourceSchedules}) and the drills', applied and listed beside the
 * database ones by {@code schedules apply|list}.
 */
public final class AppSchedules {
  private AppSchedules() {}

  /**
   * A schedule the config asks for; {@code legacyIds} are its ids before every id named the
   * estate, which {@code ours} tells apart from another estate's.
   */
  public record Planned(String id, String cron, String subject, List<String> legacyIds,
      Predicate<Schedule> ours, Schedule schedule) {}

  static List<Planned> planned(LifeboatConfig c, String taskQueue) {
    List<Planned> out = new ArrayList<>();
    for (ApplicationConfig a : c.applications()) {
      var options = AppPlans.options(c, AppPlans.appBackupId(c, a), AppPlans.APP, taskQueue)
          .build();
      out.add(new Planned(AppPlans.appBackupId(c, a), a.backupSchedule(), "app " + a.name(),
          ApplicationBackupWorkflow.legacyIds(c.estate(), a.name()),
          SchedulesCommand.ours(c, ApplicationBackupWorkflow.class, ApplicationBackupRequest.class,
              ApplicationBackupRequest::repository,
              r -> r.application().name().equals(a.name())),
          schedule(c, a.backupSchedule(), ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(ApplicationBackupWorkflow.class)
              .setArguments(ApplicationBackupWorkflow.request(c, a, "schedule"))
              .setOptions(options).build())));
    }
    if (!c.configuration().isEmpty()) {
      String id = AppPlans.configBackupId(c);
      var options = AppPlans.options(c, id, AppPlans.CONFIG, taskQueue).build();
      out.add(new Planned(id, c.configuration().schedule(), "configuration",
          ConfigurationBackupWorkflow.legacyIds(c.estate()),
          SchedulesCommand.ours(c, ConfigurationBackupWorkflow.class,
              ConfigurationBackupRequest.class, ConfigurationBackupRequest::repository,
              r -> c.estate().equals(r.estate())),
          schedule(c, c.configuration().schedule(), ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(ConfigurationBackupWorkflow.class)
              .setArguments(ConfigurationBackupWorkflow.request(c))
              .setOptions(options).build())));
    }
    out.addAll(SourceSchedules.planned(c, taskQueue)); // MariaDB, Redis, OpenSearch, files
    out.addAll(DrillPlans.planned(c, taskQueue)); // DR drills (issue #6)
    return out;
  }

  public static Schedule schedule(LifeboatConfig c, String cron, ScheduleActionStartWorkflow action) {
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron))
            .setTimeZoneName(c.schedules().timezone()).build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofMinutes(c.schedules().catchupWindowMinutes())).build())
        .setState(ScheduleState.newBuilder().setPaused(c.schedules().paused())
            .setNote(SchedulesCommand.MANAGED).build())
        .build();
  }

  static void apply(ScheduleClient schedules, LifeboatConfig c, String taskQueue, PrintWriter out) {
    for (Planned p : planned(c, taskQueue)) {
      String what = SchedulesCommand.createOrUpdate(schedules, p.id(), p.schedule());
      out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what, p.id(),
          p.cron(), c.schedules().timezone(), c.schedules().catchupWindowMinutes());
    }
    for (Planned p : planned(c, taskQueue)) {
      SchedulesCommand.retire(schedules, p.legacyIds(), p.id(), p.ours(), out);
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
