package io.lifeboat.readiness;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The readiness checks that read the world. Each returns findings, never fails for what it
 * finds: a key that does not load or a bucket that does not answer is a problem finding.
 */
@ActivityInterface
public interface ReadinessActivities {
  /** Keys, base backup and WAL, recovery point: one finding per database and check. */
  List<ReadinessFinding> checkRepository(RepositoryProbe probe);

  /** DNS and ACME of one recovery target. */
  List<ReadinessFinding> checkTarget(TargetProbe probe);

  /**
   * Writes the findings to {@code reports/readiness/latest.json} of the repository and returns
   * the report with the findings whose state changed since the one stored before.
   */
  ReadinessReport remember(RememberRequest request);
}
