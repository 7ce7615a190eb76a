package io.lifeboat.recover.db;

import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.util.List;

/**
 * @param reportKey the JSON report in the repository, or null when storing it failed
 * @param achievedRpo the last transaction restored against the target (null in runs recorded
 *     before it)
 */
public record RecoveryResult(
    RecoveryPlan plan, SwapResult swap, VerifyReport verification, String rtoStatus,
    List<StepTiming> steps, RunReport report, String reportKey, AchievedRpo achievedRpo) {

  public RecoveryResult(RecoveryPlan plan, SwapResult swap, VerifyReport verification,
      String rtoStatus, List<StepTiming> steps, RunReport report, String reportKey) {
    this(plan, swap, verification, rtoStatus, steps, report, reportKey, null);
  }
}
