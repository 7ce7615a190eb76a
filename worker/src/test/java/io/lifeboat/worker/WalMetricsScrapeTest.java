package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.wal.WalMetrics;
import io.lifeboat.wal.WalCheckActivities;
import io.lifeboat.wal.WalCheckRequest;
import io.lifeboat.wal.WalCheckResult;
import io.lifeboat.wal.WalCheckWorkflow;
import io.lifeboat.wal.WalCheckWorkflowImpl;
import io.lifeboat.wal.WalSwitch;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The archive check's gauges reach /metrics under the names the RPO alert rule uses. */
class WalMetricsScrapeTest {

  /** A continuous archive for one database, a gap for the other. */
  static class Fake implements WalCheckActivities {
    @Override
    public WalSwitch forceSwitch(DatabaseConfig database) {
      return new WalSwitch(1, "0/6000000", "000000010000000000000005", 16 << 20, 0, null, 0);
    }

    @Override
    public WalCheckResult checkArchive(WalCheckRequest r, WalSwitch s) {
      boolean gap = r.database().name().equals("broken");
      return new WalCheckResult(r.database().name(), !gap, gap ? 1 : 0, List.of(), null, null, 0,
          List.of(1), null, null, null, s.neededSegment(), true, 3000, gap ? 5000 : 3,
          r.rpoTargetMinutes() * 60L, !gap, 0, null, null);
    }
  }

  @Test
  void rpoAndContinuityGaugesAreScraped() throws Exception {
    try (ScrapedEnvironment env = new ScrapedEnvironment()) {
      WorkflowClient client = env.start("wal-metrics", WalCheckWorkflowImpl.class, new Fake());
      for (String db : List.of("farmtally_production", "broken")) {
        client.newWorkflowStub(WalCheckWorkflow.class, WorkflowOptions
            .newBuilder().setWorkflowId("wal-check-" + db).setTaskQueue("wal-metrics").build())
            .check(new WalCheckRequest(new DatabaseConfig(db, "h", 1, "u", null, null, null),
                new RepositoryConfig("http://x:1", "bucket", null, null, null, "A", "B", null,
                    null, null, null, null), WalConfig.DEFAULT, 15, new RetryConfig(2, 1, 1)));
      }
      Map<String, String> good = Map.of("database", "farmtally_production");
      Map<String, String> bad = Map.of("database", "broken");
      Scrape scrape = env.scrapeUntil(s -> s.hasAll(List.of(
          Map.entry(WalMetrics.CONTINUOUS, good), Map.entry(WalMetrics.CONTINUOUS, bad),
          Map.entry(WalMetrics.RPO_ACHIEVED, good), Map.entry(WalMetrics.RPO_ACHIEVED, bad),
          Map.entry(WalMetrics.RPO_TARGET, good))));
      ScrapedEnvironment.assertHelp(scrape, WalMetrics.ALL, WalMetrics.HELP);
      assertEquals(1.0, scrape.find(WalMetrics.CONTINUOUS, good).orElseThrow().value());
      assertEquals(0.0, scrape.find(WalMetrics.CONTINUOUS, bad).orElseThrow().value());
      assertEquals(3.0, scrape.find(WalMetrics.RPO_ACHIEVED, good).orElseThrow().value());
      assertEquals(5000.0, scrape.find(WalMetrics.RPO_ACHIEVED, bad).orElseThrow().value());
      assertEquals(900.0, scrape.find(WalMetrics.RPO_TARGET, good).orElseThrow().value());
    }
  }
}
