package io.lifeboat.run;

import io.lifeboat.repository.RepositoryLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Run reports: one key per run of a workflow id, sorting by the run's start. */
class ReportKeyTest {
  private static final long T = Instant.parse("2026-11-21T02:00:00.042Z").toEpochMilli();

  private static String started(String key) {
    String[] parts = key.split("/");
    return parts[parts.length - 2];
  }

  @Test
  void twoRunsOfOneWorkflowIdInTheSameSecondKeepTheirOwnReports() {
    // A run that ends within its first second (refused early), and the operator's next try.
    String first = RepositoryLayout.reportKey("p", "recovery", "recover-db-x", T, "json");
    String next = RepositoryLayout.reportKey("p", "recovery", "recover-db-x", T + 900, "json");
    assertEquals("p/reports/recovery/recover-db-x/20261121T020000Z-042/report.json", first);
    assertNotEquals(first, next);
    assertTrue(started(first).compareTo(started(next)) < 0, "the later run sorts last");
    // A report stored under the second alone (before) sorts before both, after the second
    // before it: `lifeboat report` still takes the newest.
    assertTrue("20261121T020000Z".compareTo(started(first)) < 0);
    assertTrue("20261121T015959Z".compareTo(started(first)) < 0);
    assertTrue(started(next).compareTo("20261121T020001Z") < 0);
    assertEquals("p/reports/recovery/recover-db-x/20261121T020000Z-000/report.md",
        RepositoryLayout.reportKey("p", "recovery", "recover-db-x", T - 42, "md"));
  }
}
