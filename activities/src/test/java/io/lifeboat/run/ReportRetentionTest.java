package io.lifeboat.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.wal.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run reports live by their own audit retention, not their backups'. */
class ReportRetentionTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  final MemoryStore store = new MemoryStore();

  void report(String kind, String wf, Duration ago) {
    long at = NOW.minus(ago).toEpochMilli();
    for (String ext : List.of("md", "html", "json")) {
      store.put(RepositoryLayout.reportKey("p", kind, wf, at, ext), new byte[] {1}, "x");
    }
  }

  @Test
  void reportsOlderThanTheAuditDaysGoJsonFirstAndTheRestStay() {
    report("drill", "drill-monthly-a", Duration.ofDays(400));
    report("drill", "drill-monthly-b", Duration.ofDays(300));
    report("database-recovery", "recover-db-x", Duration.ofDays(366));
    store.put("p/reports/check/latest.json", new byte[] {1}, "x");
    // the old second-resolution STARTED shape
    store.put("p/reports/application-rollback/rb/"
        + RepositoryLayout.backupId(NOW.minus(Duration.ofDays(500)).toEpochMilli())
        + "/report.json", new byte[] {1}, "x");
    List<String> removed = ReportRetention.prune(store, "p", 365, NOW);
    assertEquals(3, removed.size(), removed.toString());
    assertEquals(List.of("p/reports/check/latest.json", RepositoryLayout.reportKey("p", "drill", "drill-monthly-b",
            NOW.minus(Duration.ofDays(300)).toEpochMilli(), "html"),
        RepositoryLayout.reportKey("p", "drill", "drill-monthly-b",
            NOW.minus(Duration.ofDays(300)).toEpochMilli(), "json"),
        RepositoryLayout.reportKey("p", "drill", "drill-monthly-b",
            NOW.minus(Duration.ofDays(300)).toEpochMilli(), "md")), store.list("p/reports/").stream().sorted().toList());
    // report.json is the first object of a set to go
    assertEquals(true, store.deletes.get(0).endsWith("/report.json"));
  }
}
