package io.lifeboat.cli.drill;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.Session;
import io.lifeboat.drill.DrillHistory;
import io.lifeboat.drill.DrillStats;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The drill KPIs from the drill reports stored in the repository (every drill ever run, not
 * Temporal's visibility; works with Temporal down): success rate, RTO trend per scenario,
 * process adherence and cadence compliance ({@link DrillStats}).
 */
@Command(name = "stats", description = "Drill KPIs from the stored drill reports: success rate,"
    + " recovery time against the RTO per scenario, process adherence (runbook steps approved)"
    + " and cadence compliance. Reads the repository only (works with Temporal down).")
final class DrillStatsCommand implements Callable<Integer> {
  @ParentCommand DrillCommand parent;
  @Mixin ConfigOption configOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = parent.root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
      List<DrillHistory.StoredDrill> stored =
          DrillHistory.read(s.repository(), s.config().repository().prefix());
      DrillStats.Stats st = DrillStats.compute(stored, s.config(), Instant.now());
      if (json) {
        out.println(Json.write(st));
        return 0;
      }
      if (st.drills() == 0) {
        out.println("no drill reports in the repository yet: lifeboat drill start"
            + " monthly|quarterly");
        return 0;
      }
      out.printf("success rate       %d of %d drills passed: %s (target %s: %s)%n", st.passed(),
          st.drills(), pct(st.successRate()), pct(st.successTarget()),
          st.successOnTarget() ? "met" : "NOT met");
      DrillStats.Adherence a = st.adherence();
      out.printf("process adherence  %d of %d runbook steps approved: %s (target %s: %s)%n",
          a.done(), a.planned(), pct(a.rate()), pct(a.target()), a.onTarget() ? "met"
              : "NOT met");
      out.println("recovery time per scenario (machine time against its RTO, oldest first):");
      if (st.scenarios().isEmpty()) out.println("  none recorded yet");
      for (DrillStats.ScenarioTrend t : st.scenarios()) {
        StringBuilder runs = new StringBuilder();
        for (DrillStats.Point p : t.points()) {
          if (runs.length() > 0) runs.append(", ");
          runs.append(secs(p.machineMillis())).append(p.met() ? "" : " (over " + secs(
              p.rtoMillis()) + ")");
        }
        DrillStats.Point last = t.points().get(t.points().size() - 1);
        out.printf("  %-12s %d runs, %d within RTO (%s), mean %s, last %s: %s; %s%n",
            t.scenario(), t.runs(), t.met(), secs(last.rtoMillis()), secs(t.meanMillis()),
            secs(t.lastMillis()), t.trend(), runs);
      }
      out.println("cadence:");
      for (DrillStats.Cadence c : st.cadences()) {
        out.printf("  %-12s %s, %d of %d completed %s with a passed drill (%s), last passed %s%s%n",
            c.cadence(), c.scheduled() ? "scheduled" : "not scheduled", c.periodsPassed(),
            c.periodsDue(), "quarterly".equals(c.cadence()) ? "quarters" : "months",
            pct(c.rate()), c.lastPassed() == null ? "never" : c.lastPassed(),
            c.overdue() ? ": OVERDUE" : "");
      }
      out.println("drills (oldest first):");
      for (DrillStats.Drill d : st.runs()) {
        out.printf("  %-44s %-9s %s %-9s %-6s steps %d/%d%n", d.workflowId(), d.cadence(),
            d.startedAt(), d.outcome(), d.passed() ? "passed" : "FAILED", d.stepsDone(),
            d.stepsPlanned());
      }
      return 0;
    }
  }

  static String pct(double ratio) {
    return String.format("%.1f %%", ratio * 100);
  }

  static String secs(long millis) {
    long s = millis / 1000;
    if (s >= 3600) return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    if (s >= 60) return String.format("%dm %02ds", s / 60, s % 60);
    return String.format("%.1fs", millis / 1000.0);
  }
}
