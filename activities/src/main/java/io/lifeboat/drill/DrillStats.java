package io.lifeboat.drill;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drill KPIs of the seed (recovery success rate over 95 %, process adherence over 90 %,
 * recovery times against their targets, the exercise cadence), computed from the stored drill
 * reports alone ({@link DrillHistory}): a pure function of the reports, the config and now.
 *
 * <ul>
 *   <li><b>success rate</b>: drills that passed (every scenario ran and every criterion was met)
 *       over all stored drills.
 *   <li><b>RTO trend per scenario</b>: each run's recovery (machine) time against its RTO,
 *       oldest first, with the mean and whether the last run was faster or slower than the
 *       mean of the runs before it.
 *   <li><b>process adherence</b>: the runbook's steps of each drill (approve-start, then a
 *       sign-off per scenario that could run) against the steps the report shows approved.
 *   <li><b>cadence compliance</b>: per cadence (monthly, quarterly), the completed months or
 *       quarters since its first drill, at most the last 12 months or 4 quarters, that hold a
 *       passed drill of it; and whether it is overdue now (as {@code lifeboat check} says).
 * </ul>
 */
public final class DrillStats {
  public static final double SUCCESS_TARGET = 0.95;
  public static final double ADHERENCE_TARGET = 0.90;
  static final Pattern RECOVERY_TIME = Pattern.compile("\\((\\d+)/(\\d+) ms\\)");

  private DrillStats() {}

  public record Drill(String workflowId, String cadence, String startedAt, String outcome,
      boolean passed, List<String> scenarios, int stepsPlanned, int stepsDone,
      String reportKey) {}

  public record Point(String workflowId, String startedAt, long machineMillis, long rtoMillis,
      boolean met) {}

  /** @param trend faster, slower or level: the last run against the mean of the runs before */
  public record ScenarioTrend(String scenario, int runs, int met, long meanMillis,
      long lastMillis, String trend, List<Point> points) {}

  public record Adherence(int planned, int done, double rate, double target, boolean onTarget) {}

  public record Cadence(String cadence, boolean scheduled, int periodsDue, int periodsPassed,
      double rate, String lastPassed, boolean overdue) {}

  public record Stats(int drills, int passed, double successRate, double successTarget,
      boolean successOnTarget, Adherence adherence, List<ScenarioTrend> scenarios,
      List<Cadence> cadences, List<Drill> runs) {}

  public static Stats compute(List<DrillHistory.StoredDrill> stored, LifeboatConfig c,
      Instant now) {
    return compute(stored, ZoneId.of(c.schedules().timezone()),
        c.drills().monthlySchedule() != null, c.drills().quarterlySchedule() != null,
        c.checks().drillGraceDays(), now);
  }

  /**
   * @param monthly, quarterly whether that cadence is scheduled (only a scheduled one can be
   *     overdue)
   * @param graceDays {@code checks.drillGraceDays}
   */
  public static Stats compute(List<DrillHistory.StoredDrill> stored, ZoneId zone,
      boolean monthly, boolean quarterly, int graceDays, Instant now) {
    stored = stored.stream().sorted(java.util.Comparator.comparingLong(
        (DrillHistory.StoredDrill d) -> d.report().startedAtMillis())
        .thenComparing(DrillHistory.StoredDrill::key)).toList();
    List<Drill> runs = new ArrayList<>();
    Map<String, List<Point>> byScenario = new LinkedHashMap<>();
    int planned = 0;
    int done = 0;
    for (DrillHistory.StoredDrill d : stored) {
      RunReport r = d.report();
      List<String> scenarios = scenarios(r);
      List<String> steps = new ArrayList<>();
      steps.add(DrillWorkflow.START);
      for (String s : scenarios) {
        if (!hasStep(r, s + ": not available")) steps.add(DrillWorkflow.SIGN_OFF + s);
      }
      int approved = (int) steps.stream().filter(s -> r.steps().stream()
          .anyMatch(t -> t.step().equals(s) && "approved".equals(t.outcome()))).count();
      planned += steps.size();
      done += approved;
      String started = Instant.ofEpochMilli(r.startedAtMillis()).toString();
      runs.add(new Drill(r.workflowId(), d.cadence(), started, r.outcome(), d.succeeded(),
          scenarios, steps.size(), approved, d.key()));
      for (String s : scenarios) {
        String fact = r.facts().get(s + ": " + ScenarioResult.RECOVERY_TIME);
        Matcher m = fact == null ? null : RECOVERY_TIME.matcher(fact);
        if (m != null && m.find()) {
          long machine = Long.parseLong(m.group(1));
          long rto = Long.parseLong(m.group(2));
          byScenario.computeIfAbsent(s, k -> new ArrayList<>()).add(
              new Point(r.workflowId(), started, machine, rto, machine <= rto));
        }
      }
    }
    List<ScenarioTrend> trends = new ArrayList<>();
    byScenario.forEach((s, points) -> trends.add(trend(s, points)));
    int passed = (int) runs.stream().filter(Drill::passed).count();
    double success = runs.isEmpty() ? 0 : (double) passed / runs.size();
    double adherenceRate = planned == 0 ? 0 : (double) done / planned;
    List<Cadence> cadences = new ArrayList<>();
    cadences.add(cadence(stored, DrillScenarios.MONTHLY, monthly, graceDays, now, zone));
    cadences.add(cadence(stored, DrillScenarios.QUARTERLY, quarterly, graceDays, now, zone));
    return new Stats(runs.size(), passed, success, SUCCESS_TARGET,
        !runs.isEmpty() && success >= SUCCESS_TARGET,
        new Adherence(planned, done, adherenceRate, ADHERENCE_TARGET,
            planned > 0 && adherenceRate >= ADHERENCE_TARGET), trends, cadences, runs);
  }

  /** The KPIs the scheduled check exposes as gauges ({@link DrillMetrics}). */
  public static DrillKpis kpis(Stats st) {
    List<DrillKpis.CadenceKpi> cadences = st.cadences().stream()
        .map(c -> new DrillKpis.CadenceKpi(c.cadence(), c.scheduled(), c.periodsDue(), c.rate(),
            c.overdue())).toList();
    List<DrillKpis.ScenarioKpi> scenarios = st.scenarios().stream().map(t -> {
      Point last = t.points().get(t.points().size() - 1);
      return new DrillKpis.ScenarioKpi(t.scenario(), t.runs(), last.machineMillis(),
          last.rtoMillis(), last.met());
    }).toList();
    return new DrillKpis(st.drills(), st.passed(), st.successRate(),
        st.adherence().planned() == 0 ? -1 : st.adherence().rate(), cadences, scenarios);
  }

  static List<String> scenarios(RunReport r) {
    String fact = r.facts().get("scenarios");
    if (fact == null || fact.isBlank()) return List.of();
    return List.of(fact.split(",\\s*"));
  }

  private static boolean hasStep(RunReport r, String name) {
    for (StepTiming t : r.steps()) if (t.step().equals(name)) return true;
    return false;
  }

  static ScenarioTrend trend(String scenario, List<Point> points) {
    long sum = 0;
    int met = 0;
    for (Point p : points) {
      sum += p.machineMillis();
      if (p.met()) met++;
    }
    long last = points.get(points.size() - 1).machineMillis();
    String trend = "level";
    if (points.size() > 1) {
      long before = (sum - last) / (points.size() - 1);
      // within 10 % of the earlier mean is level: a drill's time varies by a few seconds
      if (last * 10 < before * 9) trend = "faster";
      else if (last * 10 > before * 11) trend = "slower";
    }
    return new ScenarioTrend(scenario, points.size(), met, sum / points.size(), last, trend,
        List.copyOf(points));
  }

  /**
   * Completed months (monthly) or quarters (quarterly), from the one holding the cadence's first
   * stored drill, at most the last 12 months or 4 quarters, and how many hold a passed drill.
   */
  static Cadence cadence(List<DrillHistory.StoredDrill> stored, String cadence,
      boolean scheduled, int graceDays, Instant now, ZoneId zone) {
    boolean quarterly = DrillScenarios.QUARTERLY.equals(cadence);
    List<DrillHistory.StoredDrill> mine = stored.stream()
        .filter(d -> cadence.equals(d.cadence())).toList();
    java.util.Set<Integer> passedPeriods = new java.util.HashSet<>();
    Instant lastPassed = null;
    for (DrillHistory.StoredDrill d : mine) {
      if (!d.succeeded()) continue;
      Instant at = Instant.ofEpochMilli(d.report().finishedAtMillis());
      passedPeriods.add(period(LocalDate.ofInstant(at, zone), quarterly));
      if (lastPassed == null || at.isAfter(lastPassed)) lastPassed = at;
    }
    int due = 0;
    int ok = 0;
    if (!mine.isEmpty()) {
      int first = period(LocalDate.ofInstant(
          Instant.ofEpochMilli(mine.get(0).report().startedAtMillis()), zone), quarterly);
      int current = period(LocalDate.ofInstant(now, zone), quarterly);
      for (int p = Math.max(first, current - (quarterly ? 4 : 12)); p < current; p++) {
        due++;
        if (passedPeriods.contains(p)) ok++;
      }
    }
    long limitMillis = 86_400_000L * ((quarterly ? 92 : 31) + graceDays);
    boolean overdue = scheduled && (lastPassed == null
        || now.toEpochMilli() - lastPassed.toEpochMilli() >= limitMillis);
    return new Cadence(cadence, scheduled, due, ok, due == 0 ? 1.0 : (double) ok / due,
        lastPassed == null ? null : lastPassed.toString(), overdue);
  }

  /** A month or quarter as a running number: months since year 0, or quarters. */
  static int period(LocalDate d, boolean quarterly) {
    int month = YearMonth.from(d).getYear() * 12 + d.getMonthValue() - 1;
    return quarterly ? month / 3 : month;
  }
}
