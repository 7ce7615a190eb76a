package io.lifeboat.drill;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/**
 * The drill KPIs as gauges, refreshed by every scheduled repository check (check-backups-ESTATE)
 * from the stored drill reports. Nothing is set before the first drill report exists, so a new
 * estate raises no KPI alert (DrillOverdue says that no drill has run).
 */
public final class DrillMetrics {
  /** Gauge: stored drill reports. */
  public static final String RUNS = "lifeboat_drill_runs";
  /** Gauge: drills that passed over all stored drills (0..1; target 0.95). */
  public static final String SUCCESS_RATIO = "lifeboat_drill_success_ratio";
  /** Gauge: runbook steps approved over steps planned, across drills (0..1; target 0.90). */
  public static final String ADHERENCE_RATIO = "lifeboat_drill_process_adherence_ratio";
  /** Gauge per cadence: completed periods holding a passed drill over those due (0..1). */
  public static final String CADENCE_RATIO = "lifeboat_drill_cadence_compliance_ratio";
  /** Gauge per scenario: the last run's recovery (machine) time in seconds. */
  public static final String LAST_RTO_SECONDS = "lifeboat_drill_last_rto_seconds";
  /** Gauge per scenario: the RTO that last run was judged against, in seconds. */
  public static final String RTO_TARGET_SECONDS = "lifeboat_drill_rto_target_seconds";

  public static final List<String> ALL = List.of(RUNS, SUCCESS_RATIO, ADHERENCE_RATIO,
      CADENCE_RATIO, LAST_RTO_SECONDS, RTO_TARGET_SECONDS);

  public static final Map<String, String> HELP = Map.of(
      RUNS, "Stored DR drill reports",
      SUCCESS_RATIO, "DR drills that passed over all stored drills (target 0.95)",
      ADHERENCE_RATIO, "Runbook steps approved over steps planned across DR drills (target 0.90)",
      CADENCE_RATIO, "Completed months or quarters of the cadence holding a passed DR drill,"
          + " over those due",
      LAST_RTO_SECONDS, "The last DR drill's recovery (machine) time of the scenario, seconds",
      RTO_TARGET_SECONDS, "The RTO the last DR drill of the scenario was judged against, seconds");

  private DrillMetrics() {}

  public static void record(Scope scope, DrillKpis k) {
    if (k == null || k.drills() == 0) return;
    scope.gauge(RUNS).update(k.drills());
    scope.gauge(SUCCESS_RATIO).update(k.successRate());
    if (k.adherenceRate() >= 0) scope.gauge(ADHERENCE_RATIO).update(k.adherenceRate());
    for (DrillKpis.CadenceKpi c : k.cadences()) {
      if (c.periodsDue() > 0) {
        scope.tagged(Map.of("cadence", c.cadence())).gauge(CADENCE_RATIO).update(c.rate());
      }
    }
    for (DrillKpis.ScenarioKpi s : k.scenarios()) {
      Scope t = scope.tagged(Map.of("scenario", s.scenario()));
      t.gauge(LAST_RTO_SECONDS).update(s.lastMillis() / 1000.0);
      t.gauge(RTO_TARGET_SECONDS).update(s.rtoMillis() / 1000.0);
    }
  }
}
