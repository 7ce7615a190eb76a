package io.lifeboat.verify;

import io.lifeboat.run.StepTiming;
import java.util.List;

/** Every source's result; {@link #passed()} only when each one passed. */
public record VerificationReport(List<VerificationResult> results, List<StepTiming> steps,
    List<String> notificationFailures) {

  public VerificationReport {
    results = results == null ? List.of() : List.copyOf(results);
    steps = steps == null ? List.of() : List.copyOf(steps);
    notificationFailures = notificationFailures == null ? List.of()
        : List.copyOf(notificationFailures);
  }

  public boolean passed() {
    return !results.isEmpty() && results.stream().allMatch(VerificationResult::passed);
  }
}
