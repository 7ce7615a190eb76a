package io.lifeboat.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final long T0 = 1_795_000_000_000L;

  private static RunReport report(String step2, long end, String outcome) {
    return new RunReport("drill-q4", "run-9", "drill", "farmtally", "farmtally", T0, T0 + end,
        outcome, 120 * 60_000L,
        List.of(new StepTiming("provision", T0, T0 + 600_000, "ok"),
            new StepTiming(step2, T0 + 600_000, T0 + end, "ok")),
        Map.of("Drill lead", "Alice <alice@farmtally.test>"), List.of("quarterly: Q4, all scenarios"));
  }

  @Test
  void selfContainedPageWithTimelineAndRtoLine() {
    String html = HtmlReport.render(report("restore database", 5_400_000, RunReport.SUCCEEDED));
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<svg id=\"timeline\""), html);
    assertTrue(html.contains("id=\"rto-line\""), html);
    assertTrue(html.contains("class=\"met\" id=\"verdict\">RTO met: 1h 30m 00s of 2h 00m 00s"), html);
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "no external files");
  }

  @Test
  void runTextIsEscapedNeverMarkup() {
    String html = HtmlReport.render(report("<script>alert(1)</script>", 600_001, RunReport.FAILED));
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    assertTrue(html.contains("Alice &lt;alice@farmtally.test&gt;"), html);
    assertTrue(html.contains("class=\"breached\""), "a failed run breaches its RTO");
  }

  @Test
  void waitingForPeopleIsDrawnAndCountedApartFromMachineTime() {
    RunReport r = new RunReport("drill-q1", "run-1", "drill", "farmtally", "farmtally", T0,
        T0 + 900_000, RunReport.SUCCEEDED, 30 * 60_000L,
        List.of(new StepTiming("approve-start", T0, T0 + 600_000, "approved", 600_000),
            new StepTiming("restore", T0 + 600_000, T0 + 900_000, "ok")),
        Map.of(), List.of(),
        List.of(new RunReport.Criterion("data integrity", true, "rows match"),
            new RunReport.Criterion("process adherence", false, "sign-off missing")));
    String html = HtmlReport.render(r);
    assertTrue(html.contains("class=\"bar-human\""), html);
    assertTrue(html.contains("fill=\"url(#waiting)\""), html);
    assertTrue(html.contains("<th>Waiting for people</th><td>10m 00s (approvals)"), html);
    assertTrue(html.contains("<th>Machine time</th><td>5m 00s"), html);
    assertTrue(html.contains("id=\"criteria\""), html);
    assertTrue(html.contains("class=\"breached\">NOT met</td><td>sign-off missing"), html);
    String md = MarkdownReport.render(r);
    assertTrue(md.contains("| Waiting for people | 10m 00s (approvals) |"), md);
    assertTrue(md.contains("| process adherence | NOT met | sign-off missing |"), md);
    assertTrue(md.contains("approved (waiting for a person)"), md);
  }

  @Test
  void reportsStoredBeforeWaitsAndCriteriaStillParse() throws Exception {
    String old = "{\"workflowId\":\"w\",\"runId\":\"r\",\"kind\":\"application-rollback\","
        + "\"subject\":\"a\",\"estate\":\"e\",\"startedAtMillis\":1,\"finishedAtMillis\":5,"
        + "\"outcome\":\"succeeded\",\"rtoTargetMillis\":10,\"steps\":[{\"step\":\"s\","
        + "\"startedAtMillis\":1,\"finishedAtMillis\":5,\"outcome\":\"ok\"}],\"facts\":{},"
        + "\"notes\":[]}";
    RunReport r = new com.fasterxml.jackson.databind.ObjectMapper().readValue(old, RunReport.class);
    assertTrue(r.criteria().isEmpty());
    assertTrue(r.steps().get(0).humanWaitMillis() == 0 && r.machineMillis() == 4);
    assertFalse(HtmlReport.render(r).contains("Waiting for people"));
  }
}
