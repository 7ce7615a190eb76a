package io.lifeboat.check;

import java.util.List;

/** @param changedSinceLast the failing findings differ from the last remembered check's */
public record CheckReport(long checkedAtMillis, List<SourceCheck> sources,
    boolean changedSinceLast) {

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
