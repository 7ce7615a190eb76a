package io.lifeboat.cli.schedules;

import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.drill.DrillPlans;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
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
public final class AppSchedules {
  private AppSchedules() {}

  public record Planned(String id, String cron, String subject, Schedule schedule) {}

  static List<Planned> planned(LifeboatConfig c, String taskQueue) {
    List<Planned> out = new ArrayList<>();
    for (ApplicationConfig a : c.applications()) {
      var options = AppPlans.options(c, AppPlans.appBackupId(c, a), AppPlans.APP, taskQueue)
          .build();
      out.add(new Planned(AppPlans.appBackupId(c, a), a.backupSchedule(), "app " + a.name(),
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

  public static Schedule schedule(LifeboatConfig c, String cron, ScheduleActionStartWorkflow action) {
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
    for (ApplicationConfig a : c.applications()) retireLegacy(schedules, c, a, out);
  }

  /**
   * The application schedule's id had no estate in it (backup-app-NAME) before; left alone, it
   * would go on starting a second daily backup beside the renamed one. It is deleted only when
   * it is Lifeboat's and backs up this application into this estate's repository: another
   * estate sharing the namespace keeps its own until its own `schedules apply`.
   */
  static void retireLegacy(ScheduleClient schedules, LifeboatConfig c, ApplicationConfig a,
      PrintWriter out) {
    String legacy = AppPlans.legacyAppBackupId(a);
    var found = SchedulesCommand.describe(schedules, legacy);
    if (found.isEmpty()) return;
    boolean ours = false;
    try {
      var s = found.get().getSchedule();
      if (s.getAction() instanceof ScheduleActionStartWorkflow start
          && "managed by lifeboat schedules apply".equals(s.getState().getNote())) {
        var req = start.getArguments()
            .get(0, io.lifeboat.backup.app.ApplicationBackupRequest.class);
        ours = req.application().name().equals(a.name())
            && req.repository().bucket().equals(c.repository().bucket())
            && java.util.Objects.equals(req.repository().prefix(), c.repository().prefix())
            && java.util.Objects.equals(req.repository().endpoint(), c.repository().endpoint());
      }
    } catch (RuntimeException undecodable) {
      ours = false; // not readable with this config's codec: not provably ours
    }
    if (ours) {
      schedules.getHandle(legacy).delete();
      out.printf("deleted schedule %s: renamed to %s%n", legacy, AppPlans.appBackupId(c, a));
    } else {
      out.printf("left schedule %s: not this estate's application backup (delete it with"
          + " `temporal schedule delete --schedule-id %s` if it is)%n", legacy, legacy);
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
