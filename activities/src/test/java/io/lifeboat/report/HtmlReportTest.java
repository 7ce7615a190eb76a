package io.lifeboat.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.workflows.common.StepTiming;
import io.lifeboat.workflows.report.RunReport;
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
}
