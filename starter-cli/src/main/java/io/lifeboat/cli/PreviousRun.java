package io.lifeboat.cli;

import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import io.lifeboat.storage.ObjectStore;
import java.io.InputStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step durations of the previous successful run of a workflow id, from its stored report:
 * the first estimates of a run's projected finish ({@link io.lifeboat.run.StepPlan}). Best
 * effort: no report, an unreadable one or a repository that does not answer gives an empty map,
 * and the projection falls back to the RTO split.
 */
public final class PreviousRun {
  /** Reports read at most, newest first, looking for one that succeeded. */
  private static final int LOOK_BACK = 5;

  private PreviousRun() {}

  public static Map<String, Long> stepMillis(Session s, String kind, String workflowId) {
    try {
      ObjectStore store = s.repository();
      String root = RepositoryLayout.reportsRoot(s.config().repository().prefix()) + kind + "/"
          + workflowId + "/";
      List<String> runs = store.list(root).stream().filter(k -> k.endsWith("/report.json"))
          .sorted(Comparator.reverseOrder()).limit(LOOK_BACK).toList();
      for (String key : runs) {
        RunReport r;
        try (InputStream in = store.get(key)) {
          r = Json.MAPPER.readValue(in, RunReport.class);
        }
        if (!RunReport.SUCCEEDED.equals(r.outcome())) continue;
        Map<String, Long> m = new LinkedHashMap<>();
        for (StepTiming t : r.steps()) m.merge(t.step(), t.durationMillis(), Long::sum);
        return m;
      }
    } catch (Exception e) {
      // no estimate from history: the RTO split stands in
    }
    return Map.of();
  }
}
