package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.run.HtmlReport;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The HTML report as a browser shows it: Debian's headless Chromium takes a screenshot (kept in
 * target/artifacts for a person to look at), and the timeline's bars and RTO line are really
 * painted: their colours are found in the pixels.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ReportRendersInChromiumTest {
  private static final long T0 = 1_795_000_000_000L;

  @Test
  void timelineAndRtoLineArePainted() throws Exception {
    RunReport r = new RunReport("recover-server-farmtally", "run-1", "server-recovery",
        "farmtally", "farmtally", T0, T0 + 95 * 60_000L, RunReport.SUCCEEDED, 120 * 60_000L,
        List.of(new StepTiming("provision (approved by alice)", T0, T0 + 20 * 60_000L, "ok"),
            new StepTiming("ansible", T0 + 20 * 60_000L, T0 + 35 * 60_000L, "ok"),
            new StepTiming("database", T0 + 35 * 60_000L, T0 + 70 * 60_000L, "ok"),
            new StepTiming("tls", T0 + 70 * 60_000L, T0 + 95 * 60_000L, "ok")),
        Map.of("Target", "standby"), List.of());
    Path dir = Path.of("target", "artifacts").toAbsolutePath();
    Files.createDirectories(dir);
    Path html = dir.resolve("report.html");
    Path png = dir.resolve("report.png");
    Files.writeString(html, HtmlReport.render(r));

    BufferedImage img = Chromium.screenshot(html, png, 1000, 800);
    assertEquals(1000, img.getWidth());
    assertTrue(Chromium.count(img, 0x3b7dd8) > 500, "the step bars are painted");
    assertTrue(Chromium.count(img, 0xb3261e) > 50, "the RTO line is painted");
  }
}
