package io.lifeboat.cli.drill;

import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.schedules.AppSchedules;
import io.lifeboat.cli.schedules.SchedulesCommand;
import io.lifeboat.config.DrillsConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.drill.DrillRequest;
import io.lifeboat.drill.DrillScenarios;
import io.lifeboat.drill.DrillTargets;
import io.lifeboat.drill.DrillWorkflow;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** How the CLI and `schedules apply` build a drill from the config. */
public final class DrillPlans {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private DrillPlans() {}

  /** drill-KIND-ESTATE-STAMP: one per start; a schedule adds its own time to the base. */
  public static String workflowId(LifeboatConfig c, String kind, Instant at) {
    return DrillWorkflow.workflowIdBase(c.estate(), kind) + "-" + STAMP.format(at);
  }

  /**
   * The refusal the workflow would give, said before anything starts. The default scratch
   * names hold the run's key (RunKeys, 8 letters and digits); a placeholder of that length
   * stands in for it (it can never name production).
   */
  static void refuseProduction(DrillRequest r) {
    List<String> scenarios = DrillScenarios.plan(r, System.currentTimeMillis());
    if (DrillScenarios.ENGINES.contains(r.scenario())
        && DrillScenarios.sources(r, r.scenario()).isEmpty()) {
      throw new UserError("drill refused, nothing started: the " + r.scenario() + " scenario"
          + " needs " + r.scenario() + ": sources in the config, and it has none");
    }
    if (scenarios.contains(DrillScenarios.FULL_SYSTEM)) {
      String error = DrillTargets.serverTarget(r).error();
      if (error != null) throw new UserError("drill refused, nothing started: " + error);
    }
    DrillTargets.refusal(r, scenarios, "00000000").ifPresent(why -> {
      throw new UserError(why);
    });
  }

  /** The monthly and quarterly schedules the config asks for (none when their cron is unset). */
  public static List<AppSchedules.Planned> planned(LifeboatConfig c, String taskQueue) {
    List<AppSchedules.Planned> out = new ArrayList<>();
    DrillsConfig d = c.drills();
    for (String kind : DrillScenarios.KINDS) {
      String cron = DrillScenarios.MONTHLY.equals(kind) ? d.monthlySchedule() : d.quarterlySchedule();
      if (cron == null || cron.isBlank()) continue;
      var options = AppPlans.options(c, DrillWorkflow.workflowIdBase(c.estate(), kind), LifeboatSearchAttributes.KIND_DRILL,
          taskQueue).build();
      out.add(new AppSchedules.Planned(DrillWorkflow.scheduleId(c.estate(), kind), cron,
          "drill " + kind, DrillWorkflow.legacyScheduleIds(c.estate(), kind),
          SchedulesCommand.ours(c, DrillWorkflow.class, DrillRequest.class,
              DrillRequest::repository,
              r -> c.estate().equals(r.estate()) && kind.equals(r.kind())),
          AppSchedules.schedule(c, cron, ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(DrillWorkflow.class)
              .setArguments(DrillWorkflow.request(c, kind, null, d))
              .setOptions(options).build())));
    }
    return out;
  }
}
