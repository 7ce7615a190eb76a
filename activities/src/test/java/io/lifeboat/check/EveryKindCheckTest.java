package io.lifeboat.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.RunReport;
import io.lifeboat.wal.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The check on every kind, from the repository alone: application, configuration and base
 * backups by their own freshness limits (no day/week/month requirements: those are the
 * dumps'), and drill cadences from the stored drill reports.
 */
class EveryKindCheckTest {
  static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null,
      true, "A", "S", null, null, null, null, null);
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  static final ChecksConfig LIMITS = new ChecksConfig(null, 25, 7, 4, 0, null, null, null, null);
  final MemoryStore store = new MemoryStore();

  String id(Duration ago) {
    return RepositoryLayout.backupId(NOW.minus(ago).toEpochMilli());
  }

  void committed(String root, Duration ago) {
    store.put(root + id(ago) + "/archive", new byte[] {1}, "x");
    store.put(root + id(ago) + "/manifest.json", new byte[] {2}, "x");
  }

  void base(Duration ago) {
    String root = RepositoryLayout.baseBackupsRoot("p", "app");
    store.put(root + id(ago) + "/base.tar.zst", new byte[] {1}, "x");
    store.put(root + id(ago) + "/manifest.json", ("{\"backupId\":\"" + id(ago)
        + "\",\"finishedAt\":\"" + NOW.minus(ago) + "\",\"startWalSegment\":"
        + "\"000000010000000000000002\",\"walSegmentSize\":16777216}").getBytes(), "x");
  }

  void drill(String wf, String kind, Duration ago, String outcome) throws Exception {
    long finished = NOW.minus(ago).toEpochMilli();
    RunReport r = new RunReport(wf, "run", "drill", "farmtally " + kind, "farmtally",
        finished - 600_000, finished, outcome, 0, List.of(), Map.of("drill", kind
            + ("quarterly".equals(kind) ? " (Q4 of the rotation)" : "")), List.of());
    store.put(RepositoryLayout.reportKey("p", "drill", wf, r.startedAtMillis(), "json"),
        new ObjectMapper().writeValueAsBytes(r), "application/json");
  }

  SourceCheck check(String kind, String name) {
    CheckReport r = new RepositoryChecker().check(store, new CheckRequest(
        List.of(new CheckSource(kind, name)), REPO, LIMITS, "UTC", NOW.toEpochMilli(), false));
    return r.sources().get(0);
  }

  @Test
  void eachKindHasItsOwnFreshnessLimitAndNoPeriodRequirements() {
    committed(RepositoryLayout.appBackupsRoot("p", "web"), Duration.ofHours(26));
    store.put(RepositoryLayout.appBackupsRoot("p", "web") + id(Duration.ofHours(1)) + "/app.tgz",
        new byte[] {1}, "x"); // no manifest: no backup
    SourceCheck app = check("app", "web");
    assertFalse(app.fresh(), app.toString());
    assertTrue(app.retentionCompliant(), "no day/week/month requirement for applications");
    assertTrue(app.problems().get(0).contains("(limit 25h)"), app.problems().toString());

    // weekly kinds: 7 days old is fine (limit 192 h), 9 days is not
    committed(RepositoryLayout.configBackupsRoot("p"), Duration.ofDays(7));
    assertTrue(check("config", "farmtally").passed());
    base(Duration.ofDays(9));
    SourceCheck b = check("db-base", "app");
    assertFalse(b.fresh());
    assertTrue(b.problems().get(0).contains("(limit 192h)"), b.problems().toString());
    base(Duration.ofDays(2));
    assertTrue(check("db-base", "app").passed());
  }

  @Test
  void aDrillCadenceIsOverdueWithoutASucceededDrillInItsPeriod() throws Exception {
    SourceCheck none = check("drill", "monthly");
    assertFalse(none.passed());
    assertTrue(none.problems().get(0).contains("no monthly drill has succeeded"),
        none.problems().toString());

    drill("drill-monthly-1", "monthly", Duration.ofDays(35), RunReport.SUCCEEDED);
    drill("drill-monthly-2", "monthly", Duration.ofDays(2), RunReport.FAILED);
    drill("drill-quarterly-1", "quarterly", Duration.ofDays(60), RunReport.SUCCEEDED);
    SourceCheck monthly = check("drill", "monthly");
    assertFalse(monthly.fresh(), "a failed drill does not count; 35 d > 31 + 3");
    assertEquals(1, monthly.backups());
    assertTrue(monthly.problems().get(0).contains("overdue (limit 816h)"),
        monthly.problems().toString());
    assertTrue(check("drill", "quarterly").passed(), "60 d < 92 + 3");

    drill("drill-monthly-3", "monthly", Duration.ofDays(33), RunReport.SUCCEEDED);
    assertTrue(check("drill", "monthly").passed(), "33 d < 31 + 3");
  }
}
