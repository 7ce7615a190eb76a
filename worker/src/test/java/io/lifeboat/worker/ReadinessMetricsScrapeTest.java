package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.readiness.ReadinessActivities;
import io.lifeboat.readiness.ReadinessFinding;
import io.lifeboat.readiness.ReadinessReport;
import io.lifeboat.readiness.ReadinessRequest;
import io.lifeboat.readiness.ReadinessWorkflow;
import io.lifeboat.readiness.ReadinessWorkflowImpl;
import io.lifeboat.readiness.RememberRequest;
import io.lifeboat.readiness.RepositoryProbe;
import io.lifeboat.readiness.TargetProbe;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readiness gauges reach /metrics under the names and labels the alert rules use. */
class ReadinessMetricsScrapeTest {

  /** The offsite's WAL has a gap; everything else is fine. */
  static class Fake implements ReadinessActivities {
    @Override
    public List<ReadinessFinding> checkRepository(RepositoryProbe p) {
      String path = "db/farmtally_production/" + p.name();
      return List.of(ReadinessFinding.ok(path, "keys", "read"),
          p.name().equals("offsite") ? ReadinessFinding.problem(path, "wal", "gap")
              : ReadinessFinding.ok(path, "wal", "continuous"));
    }

    @Override
    public List<ReadinessFinding> checkTarget(TargetProbe p) {
      return List.of();
    }

    @Override
    public ReadinessReport remember(RememberRequest r) {
      return ReadinessReport.compare(r.estate(), r.checkedAtMillis(), r.findings(), null);
    }
  }

  @Test
  void okGaugesPerPathAndCheckAreScraped() throws Exception {
    try (ScrapedEnvironment env = new ScrapedEnvironment()) {
      WorkflowClient client = env.start("readiness-metrics", ReadinessWorkflowImpl.class,
          new Fake());
      RepositoryConfig repo = new RepositoryConfig("http://x:1", "bucket", null, null, null,
          "A", "B", null, null, null, null, null);
      client.newWorkflowStub(ReadinessWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId("readiness-farmtally").setTaskQueue("readiness-metrics").build())
          .check(new ReadinessRequest("farmtally", "lifeboat",
              List.of(new ReadinessRequest.DatabasePath("farmtally_production", null)),
              List.of(), repo, repo, null, 15, null, null, null));
      Map<String, String> gap = Map.of("path", "db/farmtally_production/offsite", "check", "wal");
      // The gauges are set one after the other: wait until the last of them is there too.
      Scrape scrape = env.scrapeUntil(s -> s.find(
          io.lifeboat.readiness.ReadinessMetrics.OK, gap).isPresent()
          && s.find(io.lifeboat.readiness.ReadinessMetrics.OK,
              Map.of("path", "db/farmtally_production/primary", "check", "wal")).isPresent()
          && io.lifeboat.readiness.ReadinessMetrics.ALL.stream()
              .allMatch(name -> s.find(name, Map.of()).isPresent()));
      ScrapedEnvironment.assertHelp(scrape, io.lifeboat.readiness.ReadinessMetrics.ALL,
          io.lifeboat.readiness.ReadinessMetrics.HELP);
      assertEquals(0.0, scrape.find(io.lifeboat.readiness.ReadinessMetrics.OK, gap)
          .orElseThrow().value());
      assertEquals(1.0, scrape.find(io.lifeboat.readiness.ReadinessMetrics.OK,
          Map.of("path", "db/farmtally_production/primary", "check", "wal")).orElseThrow()
          .value());
      assertEquals(1.0, scrape.find(io.lifeboat.readiness.ReadinessMetrics.PROBLEMS, Map.of())
          .orElseThrow().value());
    }
  }
}
