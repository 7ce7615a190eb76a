package io.lifeboat.run;

import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit retention of run reports (PREFIX/reports/KIND/WORKFLOW_ID/STARTED/...): a report is
 * kept {@code retention.reportsAuditDays} after its run started, whatever happened to the
 * backups it used (backup retention never touches reports/), then removed, report.json first
 * (what {@code lifeboat report} and {@code drill stats} look for). The check's memory
 * (reports/check/) is not a run report and stays.
 */
public final class ReportRetention {
  private static final Logger log = LoggerFactory.getLogger(ReportRetention.class);

  private ReportRetention() {}

  /** @return the report directories removed (relative to the reports root), oldest first */
  public static List<String> prune(ObjectStore store, String prefix, int days, Instant now) {
    String root = RepositoryLayout.reportsRoot(prefix);
    Instant cutoff = now.minus(Duration.ofDays(days));
    TreeMap<String, List<String>> dirs = new TreeMap<>();
    for (String key : store.list(root)) {
      String rel = key.substring(root.length());
      String[] parts = rel.split("/");
      // KIND/WORKFLOW_ID/STARTED/FILE
      if (parts.length != 4 || "check".equals(parts[0])) continue;
      Optional<Instant> started = startedAt(parts[2]);
      if (started.isEmpty() || !started.get().isBefore(cutoff)) continue;
      dirs.computeIfAbsent(parts[0] + "/" + parts[1] + "/" + parts[2] + "/",
          d -> new ArrayList<>()).add(key);
    }
    List<String> removed = new ArrayList<>();
    dirs.forEach((dir, keys) -> {
      List<String> ordered = new ArrayList<>(keys);
      ordered.sort(Comparator.comparing(k -> !k.endsWith("/report.json")));
      ordered.forEach(store::delete);
      removed.add(dir);
    });
    if (!removed.isEmpty()) {
      log.info("audit retention: removed {} run report(s) started before {} ({} days)",
          removed.size(), cutoff, days);
    }
    return removed;
  }

  /** STARTED is 20261121T020000Z-123 (or 20261121T020000Z before 2026-12-06). */
  static Optional<Instant> startedAt(String started) {
    int dash = started.indexOf('-');
    Optional<Instant> second = RepositoryLayout.backupTime(dash < 0 ? started
        : started.substring(0, dash));
    if (second.isEmpty() || dash < 0) return second;
    try {
      return Optional.of(second.get().plusMillis(Integer.parseInt(started.substring(dash + 1))));
    } catch (NumberFormatException e) {
      return second;
    }
  }
}
