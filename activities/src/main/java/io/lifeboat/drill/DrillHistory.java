package io.lifeboat.drill;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.RunReport;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drills the repository remembers: every stored drill report
 * (PREFIX/reports/drill/WORKFLOW_ID/STARTED/report.json), read from the bucket alone, so the
 * checks and {@code lifeboat drill stats} work with Temporal down and see every drill ever run,
 * not the last page of Temporal's visibility.
 */
public final class DrillHistory {
  private static final Logger log = LoggerFactory.getLogger(DrillHistory.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private DrillHistory() {}

  /**
   * One stored drill.
   *
   * @param cadence {@code monthly} or {@code quarterly} (the drill kind it ran as), from its
   *     "drill" fact; null when the report does not say
   */
  public record StoredDrill(String key, String cadence, RunReport report) {
    /** Passed: every scenario ran (outcome succeeded) and every criterion was met. */
    public boolean succeeded() {
      return RunReport.SUCCEEDED.equals(report.outcome())
          && report.criteria().stream().allMatch(RunReport.Criterion::met);
    }
  }

  /** Every stored drill report, oldest start first; an unreadable one is logged and skipped. */
  public static List<StoredDrill> read(ObjectStore store, String prefix) {
    String root = RepositoryLayout.reportsRoot(prefix) + LifeboatSearchAttributes.KIND_DRILL + "/";
    List<StoredDrill> out = new ArrayList<>();
    for (String key : store.list(root)) {
      if (!key.endsWith("/report.json")) continue;
      try (InputStream in = store.get(key)) {
        RunReport r = JSON.readValue(in, RunReport.class);
        out.add(new StoredDrill(key, cadence(r), r));
      } catch (IOException | RuntimeException e) {
        log.warn("skipping unreadable drill report {}: {}", key, e.getMessage());
      }
    }
    out.sort(Comparator.comparingLong((StoredDrill d) -> d.report().startedAtMillis())
        .thenComparing(StoredDrill::key));
    return out;
  }

  /** The drill kind from the report's "drill" fact ("monthly", "quarterly (Q3 of ...)"). */
  static String cadence(RunReport r) {
    String fact = r.facts().get("drill");
    if (fact == null || fact.isBlank()) return null;
    return fact.strip().split("\\s+")[0];
  }
}
