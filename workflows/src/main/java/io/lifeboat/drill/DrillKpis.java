package io.lifeboat.drill;

import java.util.List;

/**
 * The drill KPIs ({@code lifeboat drill stats}) as the scheduled check computes them from the
 * stored drill reports, for the gauges of {@link DrillMetrics}.
 *
 * @param drills stored drill reports
 * @param passed of them, the drills that passed (every scenario ran, every criterion met)
 * @param successRate passed / drills (0 when there is none)
 * @param adherenceRate runbook steps approved / planned; -1 when no step was planned
 */
public record DrillKpis(int drills, int passed, double successRate, double adherenceRate,
    List<CadenceKpi> cadences, List<ScenarioKpi> scenarios) {

  public DrillKpis {
    cadences = cadences == null ? List.of() : List.copyOf(cadences);
    scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
  }

  /**
   * @param rate completed months (monthly) or quarters (quarterly) holding a passed drill, over
   *     those due (at most the last 12 months or 4 quarters since the first drill of it)
   */
  public record CadenceKpi(String cadence, boolean scheduled, int periodsDue, double rate,
      boolean overdue) {}

  /** The last run of a scenario: its recovery (machine) time against its RTO. */
  public record ScenarioKpi(String scenario, int runs, long lastMillis, long rtoMillis,
      boolean lastMet) {}
}
