package io.lifeboat.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  private static final long T0 = 1_795_000_000_000L;

  private static RunReport report(String outcome, long durationMillis) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("Backup used", "20261121T020000Z");
    facts.put("Target | time", "2026-11-21T09:00:00Z");
    return new RunReport("recover-db-farmtally", "run-1", "database-recovery", "farmtally",
        "farmtally", T0, T0 + durationMillis, outcome, 30 * 60_000L,
        List.of(new StepTiming("assess", T0, T0 + 2_000, "ok"),
            new StepTiming("restore", T0 + 2_000, T0 + durationMillis, "ok")),
        facts, List.of("the old data directory was kept as data.lifeboat-replaced-1"));
  }

  @Test
  void withinTargetIsMet() {
    RunReport r = report(RunReport.SUCCEEDED, 12 * 60_000L);
    assertEquals("met", r.rtoStatus());
    String md = MarkdownReport.render(r);
    assertTrue(md.startsWith("# Database recovery: farmtally\n"), md);
    assertTrue(md.contains("| RTO | met (40% of the target used) |"), md);
    assertTrue(md.contains("| 2 | restore | ok |"), md);
    assertTrue(md.contains("| Target \\| time | 2026-11-21T09:00:00Z |"), md);
    assertTrue(md.contains("- the old data directory was kept"), md);
  }

  @Test
  void overTargetOrFailedIsBreached() {
    assertEquals("breached", report(RunReport.SUCCEEDED, 31 * 60_000L).rtoStatus());
    assertEquals("breached", report(RunReport.FAILED, 60_000L).rtoStatus());
    assertTrue(MarkdownReport.render(report(RunReport.FAILED, 60_000L)).contains("| RTO | breached"));
  }

  @Test
  void jsonRoundTripKeepsFactOrder() throws Exception {
    ObjectMapper m = ReportActivitiesImpl.JSON;
    RunReport back = m.readValue(m.writeValueAsBytes(report(RunReport.SUCCEEDED, 1000)), RunReport.class);
    assertEquals(List.of("Backup used", "Target | time"), List.copyOf(back.facts().keySet()));
    assertEquals(report(RunReport.SUCCEEDED, 1000), back);
  }

  @Test
  void aStepNamesTheHostAndAgentThatRanItAndTheJsonKeepsThemOnlyWhenSet() throws Exception {
    RunReport r = new RunReport("rollback-app-farmtally", "run-1", "application-rollback",
        "farmtally", "farmtally", T0, T0 + 5_000, RunReport.SUCCEEDED, 15 * 60_000L,
        List.of(new StepTiming("stage-release", T0, T0 + 2_000, "ok", 0, "app1",
                "agent@app1/4242"),
            new StepTiming("report", T0 + 2_000, T0 + 5_000, "ok")),
        Map.of(), List.of());
    String md = MarkdownReport.render(r);
    assertTrue(md.contains("| 1 | stage-release (on app1, agent@app1/4242) | ok |"), md);
    assertTrue(md.contains("| 2 | report | ok |"), md);
    assertTrue(HtmlReport.render(r).contains("stage-release <small>on app1 (agent@app1/4242)"));
    ObjectMapper m = ReportActivitiesImpl.JSON;
    String json = m.writeValueAsString(r);
    var steps = m.readTree(json).path("steps");
    assertEquals("app1", steps.get(0).path("host").asText(), json);
    assertEquals("agent@app1/4242", steps.get(0).path("agent").asText(), json);
    assertTrue(!steps.get(1).has("host") && !steps.get(1).has("agent"),
        "absent, not null, when unset: " + json);
    assertEquals(r, m.readValue(json, RunReport.class));
  }

  @Test
  void durations() {
    assertEquals("1.5s", MarkdownReport.duration(1500));
    assertEquals("2m 05s", MarkdownReport.duration(125_000));
    assertEquals("1h 02m 03s", MarkdownReport.duration(3_723_000));
  }
}
