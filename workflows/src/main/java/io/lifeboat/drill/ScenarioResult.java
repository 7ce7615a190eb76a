package io.lifeboat.drill;

import java.util.List;
import java.util.Map;

/**
 * One scenario of a drill as it ran.
 *
 * @param outcome {@link #OK}, {@link #FAILED} or {@link #UNAVAILABLE}
 * @param machineMillis time its steps took, approvals not counted
 * @param rtoMillis the target it is measured against (the seed's RTO of its kind)
 * @param integrity whether the restored data checked out (checksums, validation queries,
 *     health), with {@code evidence}
 * @param facts what the report shows for it (backup used, rows, checksums)
 */
public record ScenarioResult(String scenario, String outcome, String message, long machineMillis,
    long rtoMillis, boolean integrity, List<String> evidence, Map<String, String> facts) {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String UNAVAILABLE = "unavailable";
  /**
   * The report's fact "SCENARIO: recovery time", e.g. "1m 02s of 30m 00s RTO (62000/1800000
   * ms)": readable, and exact for {@code drill stats}.
   */
  public static final String RECOVERY_TIME = "recovery time";

  public ScenarioResult {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    facts = facts == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }

  public boolean rtoMet() {
    return OK.equals(outcome) && machineMillis <= rtoMillis;
  }
}
