package io.lifeboat.readiness;

import java.util.List;

/**
 * A readiness run's result.
 *
 * @param findings one per path and check, in the order they were checked
 * @param changed the findings whose state (ok or problem) differs from the last remembered run
 *     (a finding not seen before counts as changed only when it is a problem)
 * @param previousCheckedAtMillis when the remembered run before this one ran; 0 when none
 */
public record ReadinessReport(String estate, long checkedAtMillis, List<ReadinessFinding> findings,
    List<ReadinessFinding> changed, long previousCheckedAtMillis) {

  public ReadinessReport {
    findings = findings == null ? List.of() : List.copyOf(findings);
    changed = changed == null ? List.of() : List.copyOf(changed);
  }

  /**
   * This run against the one before: a path check changed when its state differs; one not
   * seen before counts only as a problem (a new path that is fine is no news).
   */
  public static ReadinessReport compare(String estate, long checkedAtMillis,
      List<ReadinessFinding> findings, ReadinessReport before) {
    java.util.Map<String, Boolean> was = new java.util.HashMap<>();
    if (before != null) before.findings().forEach(f -> was.put(f.key(), f.ok()));
    List<ReadinessFinding> changed = new java.util.ArrayList<>();
    for (ReadinessFinding f : findings) {
      Boolean prior = was.get(f.key());
      if (prior == null ? !f.ok() : prior != f.ok()) changed.add(f);
    }
    return new ReadinessReport(estate, checkedAtMillis, findings, changed,
        before == null ? 0 : before.checkedAtMillis());
  }

  public boolean ready() {
    return findings.stream().allMatch(ReadinessFinding::ok);
  }

  public List<ReadinessFinding> problems() {
    return findings.stream().filter(f -> !f.ok()).toList();
  }
}
