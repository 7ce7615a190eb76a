package io.lifeboat.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drill KPIs from stored reports: a pure function of the reports and now. */
class DrillStatsTest {
  static final Instant NOW = Instant.parse("2026-06-20T12:00:00Z");

  /** A database drill; approved: how many of its two runbook steps were approved. */
  static DrillHistory.StoredDrill drill(String id, String cadence, String day, long machine,
      boolean integrity, int approved) {
    long start = Instant.parse(day + "T09:00:00Z").toEpochMilli();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("drill", cadence);
    facts.put("scenarios", "database");
    facts.put("database: recovery time", "x of y RTO (" + machine + "/1800000 ms)");
    List<StepTiming> steps = new ArrayList<>();
    if (approved >= 1) steps.add(new StepTiming("approve-start", start, start + 1000, "approved", 1000));
    steps.add(new StepTiming("database app: restore into scratch", start, start + machine, "ok"));
    if (approved >= 2) steps.add(new StepTiming("sign-off-database", start, start + 2000, "approved", 2000));
    List<RunReport.Criterion> criteria = List.of(
        new RunReport.Criterion("data integrity", integrity, ""),
        new RunReport.Criterion("process adherence", approved == 2, ""));
    RunReport r = new RunReport(id, "r", "drill", "e " + cadence, "e", start, start + 600_000,
        RunReport.SUCCEEDED, 1800000, steps, facts, List.of(), criteria);
    return new DrillHistory.StoredDrill("p/reports/drill/" + id + "/x/report.json",
        DrillHistory.cadence(r), r);
  }

  @Test
  void successAdherenceTrendAndCadence() {
    List<DrillHistory.StoredDrill> stored = List.of(
        drill("m1", "monthly", "2026-02-01", 60_000, true, 2),
        drill("m2", "monthly", "2026-03-01", 50_000, false, 2),   // integrity failed
        drill("m3", "monthly", "2026-05-01", 40_000, true, 1),    // sign-off skipped
        drill("q1", "quarterly", "2026-04-15", 2_000_000, true, 2)); // over the RTO
    DrillStats.Stats st = DrillStats.compute(stored, ZoneOffset.UTC, true, true, 3, NOW);
    assertEquals(4, st.drills());
    assertEquals(2, st.passed(), "m2 failed integrity, m3 adherence");
    assertEquals(0.5, st.successRate(), 1e-9);
    assertFalse(st.successOnTarget());
    assertEquals(8, st.adherence().planned());
    assertEquals(7, st.adherence().done());
    assertFalse(st.adherence().onTarget(), "87.5 % < 90 %");

    DrillStats.ScenarioTrend db = st.scenarios().get(0);
    assertEquals(4, db.runs());
    assertEquals(3, db.met(), "q1 took 2000 s of 1800 s");
    assertEquals(40_000, db.lastMillis(), "oldest first: m3 (May 1) is the last");
    assertEquals("faster", db.trend());
    assertEquals(List.of("m1", "m2", "q1", "m3"),
        st.runs().stream().map(DrillStats.Drill::workflowId).toList());
  }

  @Test
  void cadenceCountsCompletedPeriodsWithAPassedDrill() {
    List<DrillHistory.StoredDrill> stored = List.of(
        drill("m1", "monthly", "2026-02-01", 60_000, true, 2),
        drill("m2", "monthly", "2026-03-01", 50_000, false, 2),
        drill("m3", "monthly", "2026-05-01", 40_000, true, 2));
    DrillStats.Stats st = DrillStats.compute(stored, ZoneOffset.UTC, true, true, 3, NOW);
    DrillStats.Cadence monthly = st.cadences().get(0);
    // completed months Feb..May: Feb and May passed, Mar failed, Apr had none
    assertEquals(4, monthly.periodsDue());
    assertEquals(2, monthly.periodsPassed());
    assertEquals("2026-05-01T09:10:00Z", monthly.lastPassed());
    assertTrue(monthly.overdue(), "50 days since May 1 > 31 + 3");
    DrillStats.Cadence quarterly = st.cadences().get(1);
    assertEquals(0, quarterly.periodsDue());
    assertTrue(quarterly.overdue(), "scheduled and never passed");
    assertFalse(DrillStats.compute(stored, ZoneOffset.UTC, true, false, 3, NOW).cadences()
        .get(1).overdue(), "not scheduled: never overdue");
  }
}
