package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.CopyRequest;
import io.lifeboat.offsite.CopyResult;
import io.lifeboat.offsite.LockStatus;
import io.lifeboat.offsite.OffsiteActivities;
import io.lifeboat.offsite.OffsiteCopyRequest;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.offsite.OffsiteCopyWorkflowImpl;
import io.lifeboat.offsite.OffsiteMetrics;
import io.lifeboat.offsite.OffsiteRetentionRequest;
import io.lifeboat.offsite.OffsiteRetentionResult;
import io.lifeboat.offsite.OffsiteScopes;
import io.lifeboat.offsite.VerifyCopyRequest;
import io.lifeboat.offsite.VerifyCopyResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offsite copy's gauges reach /metrics under the names the offsite alert rules use. */
class OffsiteMetricsScrapeTest {

  /** Copies one object for "farmtally_production"; cannot reach the offsite for "broken". */
  static class Fake implements OffsiteActivities {
    @Override
    public LockStatus probeLock(OffsiteConfig offsite) {
      return LockStatus.off();
    }

    @Override
    public CopyResult copy(CopyRequest r) {
      if (r.scope().contains("broken")) {
        throw FailureKind.OFFSITE_UNAVAILABLE.failure("connection refused");
      }
      CopyResult c = new CopyResult(r.scope(), 1, 0, 4096, List.of(r.scope() + "x"), List.of(),
          List.of());
      // A WAL scope: the offsite's newest segment was written 90 s before the primary's.
      return OffsiteScopes.walDatabase(r.scope()) == null ? c
          : c.withWalNewest(1_800_000_090_000L, 1_800_000_000_000L);
    }

    @Override
    public VerifyCopyResult verify(VerifyCopyRequest r) {
      return new VerifyCopyResult(r.keys().size(), 4096, List.of());
    }

    @Override
    public OffsiteRetentionResult applyRetention(OffsiteRetentionRequest r) {
      return new OffsiteRetentionResult(List.of(), List.of());
    }

    @Override
    public void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record) {}
  }

  @Test
  void lastSuccessAndSuccessGaugesAreScraped() throws Exception {
    try (ScrapedEnvironment env = new ScrapedEnvironment()) {
      WorkflowClient client = env.start("offsite-metrics", OffsiteCopyWorkflowImpl.class, new Fake());
      RepositoryConfig primary = new RepositoryConfig("http://x:1", "bucket", null, null, null,
          "A", "B", null, null, null, null, null);
      OffsiteConfig offsite = new OffsiteConfig("http://y:1", "offsite", null, null, null, "C",
          "D", null, null, null, null);
      for (String db : List.of("farmtally_production", "broken")) {
        OffsiteCopyWorkflow wf = client.newWorkflowStub(OffsiteCopyWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("offsite-" + db).setTaskQueue("offsite-metrics").build());
        OffsiteCopyRequest request = new OffsiteCopyRequest(primary, offsite, "db-full", db,
            OffsiteScopes.databaseDumps(db), true, new RetryConfig(1, 1, 1), null);
        if (db.equals("broken")) {
          assertThrows(RuntimeException.class, () -> wf.copy(request));
        } else {
          wf.copy(request);
        }
      }
      OffsiteCopyWorkflow walSync = client.newWorkflowStub(OffsiteCopyWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId("offsite-wal-farmtally_production").setTaskQueue("offsite-metrics")
              .build());
      walSync.copy(new OffsiteCopyRequest(primary, offsite, "wal", "farmtally_production",
          OffsiteScopes.walOf("farmtally_production"), false, new RetryConfig(1, 1, 1), null));
      Map<String, String> good = Map.of("source", "farmtally_production", "kind", "db-full");
      Map<String, String> bad = Map.of("source", "broken", "kind", "db-full");
      Map<String, String> walOfGood = Map.of("source", "farmtally_production");
      Scrape scrape = env.scrapeUntil(s -> s.hasAll(List.of(
          Map.entry(OffsiteMetrics.SUCCESS, good), Map.entry(OffsiteMetrics.SUCCESS, bad),
          Map.entry(OffsiteMetrics.LAST_SUCCESS_TIMESTAMP, good),
          Map.entry(OffsiteMetrics.COPIED_BYTES, good),
          Map.entry(OffsiteMetrics.WAL_LAG, walOfGood),
          Map.entry(OffsiteMetrics.WAL_NEWEST, walOfGood))));
      ScrapedEnvironment.assertHelp(scrape, OffsiteMetrics.ALL, OffsiteMetrics.HELP);
      assertEquals(1.0, scrape.find(OffsiteMetrics.SUCCESS, good).orElseThrow().value());
      assertEquals(0.0, scrape.find(OffsiteMetrics.SUCCESS, bad).orElseThrow().value());
      assertTrue(scrape.find(OffsiteMetrics.LAST_SUCCESS_TIMESTAMP, good).orElseThrow().value()
          > 1.7e9);
      assertTrue(scrape.find(OffsiteMetrics.LAST_SUCCESS_TIMESTAMP, bad).isEmpty());
      assertEquals(4096.0, scrape.find(OffsiteMetrics.COPIED_BYTES, good).orElseThrow().value());
      Map<String, String> wal = Map.of("source", "farmtally_production");
      assertEquals(90.0, scrape.find(OffsiteMetrics.WAL_LAG, wal).orElseThrow().value());
      assertEquals(1.8e9, scrape.find(OffsiteMetrics.WAL_NEWEST, wal).orElseThrow().value());
      // A dump copy has no WAL scope: no lag for it.
      assertTrue(scrape.find(OffsiteMetrics.WAL_LAG, Map.of("source", "broken")).isEmpty());
    }
  }
}
