package io.lifeboat.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RedisConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine scenarios' plan (issue 19): named, or in "all" only for the kinds configured. */
class DrillEngineScenariosTest {
  private static DrillRequest with(String scenario, List<RedisConfig> redis,
      List<OpenSearchConfig> opensearch) {
    DrillRequest r = DrillWorkflowTest.request("quarterly", scenario, DrillWorkflowTest.lead());
    return new DrillRequest(r.estate(), r.kind(), r.scenario(), r.databases(), r.applications(),
        r.repository(), r.retry(), r.targets(), r.drills(), r.notification(), r.servers(),
        r.approvals(), null, null, redis, opensearch);
  }

  @Test
  void allAddsTheConfiguredEnginesOnlyAndAQuarterlyFourthQuarterToo() {
    long q4 = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli();
    RedisConfig cache = new RedisConfig("cache", null, "127.0.0.1", 6379, null, "/var/lib/redis",
        null, null, null);
    OpenSearchConfig search = new OpenSearchConfig("search", null, "http://127.0.0.1:9200", null,
        null, null, "/srv/snap/lifeboat", null, null);
    assertEquals(List.of("database", "application", "full-system"),
        DrillScenarios.plan(with("all", null, null), q4), "no engine sources: as before");
    assertEquals(List.of("database", "application", "full-system", "redis"),
        DrillScenarios.plan(with("all", List.of(cache), null), q4));
    assertEquals(List.of("database", "application", "full-system", "redis", "opensearch"),
        DrillScenarios.plan(with(null, List.of(cache), List.of(search)), q4));
    assertEquals(List.of("opensearch"),
        DrillScenarios.plan(with("opensearch", List.of(cache), List.of(search)), q4));
    assertEquals(List.of("cache"), DrillScenarios.sources(with(null, List.of(cache), null),
        "redis"));
    DrillRequest r = with("redis", List.of(cache), null);
    assertEquals(r.targets().databaseRtoMinutes() * 60_000L, DrillScenarios.rtoMillis(r, "redis"));
  }
}
