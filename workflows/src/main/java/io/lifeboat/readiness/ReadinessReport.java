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

  public boolean ready() {
    return findings.stream().allMatch(ReadinessFinding::ok);
  }

  public List<ReadinessFinding> problems() {
    return findings.stream().filter(f -> !f.ok()).toList();
  }
}
