package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.Secrets;
import io.lifeboat.run.ReportActivitiesImpl;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.ReportActivities.StoreReportRequest;
import io.lifeboat.run.ReportActivities.StoredReport;
import io.lifeboat.run.RunReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Reports go to the real repository and come back through `lifeboat report`. */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ReportEndToEndTest {
  private RealStack stack;
  private Path config;
  private StoreFactory stores;
  private ReportActivitiesImpl reports;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    config = stack.config("report", root -> { });
    stores = new StoreFactory(Secrets.fromEnvironment());
    reports = new ReportActivitiesImpl(stores);
  }

  @AfterEach
  void down() throws Exception {
    stores.close();
    stack.close();
  }

  private StoredReport store(String workflowId, long startedAt, String outcome) {
    RunReport r = new RunReport(workflowId, "run-" + startedAt, "database-recovery",
        "farmtally_production", "farmtally", startedAt, startedAt + 95_000, outcome, 30 * 60_000L,
        List.of(new StepTiming("assess", startedAt, startedAt + 5_000, "ok"),
            new StepTiming("restore", startedAt + 5_000, startedAt + 95_000, "ok")),
        Map.of("Backup used", "20261120T020000Z"), List.of());
    return reports.storeReport(new StoreReportRequest(
        new ConfigLoader().load(config).repository(), r));
  }

  /**
   * An offsite that does not answer: the report is stored on the primary all the same, and the
   * failed copy is returned (and logged), not thrown; the next offsite sync copies it.
   */
  @Test
  void anUnreachableOffsiteLeavesTheReportStoredAndSaysSo() throws Exception {
    int closedPort;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Path withOffsite = stack.config("report-offsite", root -> root.putObject("offsite")
        .put("endpoint", "http://127.0.0.1:" + closedPort).put("bucket", "nowhere")
        .put("accessKeyEnv", "LIFEBOAT_OFFSITE_ACCESS_KEY")
        .put("secretKeyEnv", "LIFEBOAT_OFFSITE_SECRET_KEY"));
    var c = new ConfigLoader().load(withOffsite);
    try (var offsite = new io.lifeboat.offsite.OffsiteActivitiesImpl(stores,
        Secrets.fromEnvironment())) {
      ReportActivitiesImpl copying = new ReportActivitiesImpl(stores, offsite::copyNow);
      long startedAt = 1_795_000_000_000L;
      RunReport r = new RunReport("recover-db-" + stack.tag, "run-1", "database-recovery",
          "farmtally_production", "farmtally", startedAt, startedAt + 5_000, RunReport.SUCCEEDED,
          60_000L, List.of(), Map.of(), List.of());
      StoredReport stored = copying.storeReport(new StoreReportRequest(c.repository(), r,
          c.offsite()));
      assertTrue(stack.keys().contains(stored.jsonKey()), stack.keys().toString());
      assertFalse(stored.copiedOffsite());
      assertTrue(stored.offsiteProblem() != null && !stored.offsiteProblem().isBlank(),
          stored.toString());
    }
  }

  @Test
  void newestRunOfAWorkflowIsPrinted() throws Exception {
    String id = "recover-db-" + stack.tag;
    StoredReport first = store(id, 1_795_000_000_000L, RunReport.FAILED);
    store(id, 1_795_000_600_000L, RunReport.SUCCEEDED);
    assertTrue(stack.keys().contains(first.jsonKey()), stack.keys().toString());
    assertTrue(stack.keys().contains(first.markdownKey()), stack.keys().toString());
    assertTrue(stack.keys().contains(first.htmlKey()), stack.keys().toString());

    RealStack.Run md = stack.cli("report", id, "--config", config.toString());
    assertEquals(0, md.exit(), md.err());
    assertTrue(md.out().startsWith("# Database recovery: farmtally_production"), md.out());
    assertTrue(md.out().contains("| Outcome | succeeded |"), md.out());
    assertTrue(md.out().contains("| RTO | met"), md.out());

    java.nio.file.Path html = stack.dir.resolve("report.html");
    RealStack.Run withHtml = stack.cli("report", id, "--html", html.toString(), "--config",
        config.toString());
    assertEquals(0, withHtml.exit(), withHtml.err());
    assertTrue(java.nio.file.Files.readString(html).contains("id=\"rto-line\""));

    RealStack.Run json = stack.cli("report", id, "--json", "--config", config.toString());
    assertEquals(0, json.exit(), json.err());
    assertTrue(json.out().contains("\"runId\" : \"run-1795000600000\""), json.out());
  }

  @Test
  void unknownOrMalformedIdIsOneLine() throws Exception {
    for (String[] c : List.of(new String[] {"no-such-workflow", "no report for workflow"},
        new String[] {"../../etc/passwd", "not a workflow id"},
        new String[] {"x;rm -rf /", "not a workflow id"})) {
      RealStack.Run run = stack.cli("report", c[0], "--config", config.toString());
      assertEquals(2, run.exit(), run.err());
      String err = run.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.contains(c[1]), err);
      assertFalse(err.contains("Exception"), err);
    }
  }
}
