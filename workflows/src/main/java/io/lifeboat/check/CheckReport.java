package io.lifeboat.check;

import java.util.List;

/**
 * @param changedSinceLast the failing findings differ from the last remembered check's
 * @param drillKpis the drill KPIs from the stored drill reports (the scheduled check computes
 *     them for its gauges); null when not computed
 */
public record CheckReport(long checkedAtMillis, List<SourceCheck> sources,
    boolean changedSinceLast, io.lifeboat.drill.DrillKpis drillKpis) {

  /** Without the drill KPIs: the shape before them. */
  public CheckReport(long checkedAtMillis, List<SourceCheck> sources, boolean changedSinceLast) {
    this(checkedAtMillis, sources, changedSinceLast, null);
  }

  public CheckReport {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  public boolean passed() {
    return sources.stream().allMatch(SourceCheck::passed);
  }

  public List<String> problems() {
    return sources.stream().flatMap(s -> s.problems().stream()).toList();
  }
}
