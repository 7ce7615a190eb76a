package io.lifeboat.run;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import java.util.Map;

/**
 * What a recovery of a source other than PostgreSQL needs to be timed and reported like a
 * database recovery (issue 19; {@link SourceRecoveryRun}): the RTO it is measured against, the
 * estate its report names, where the report is copied offsite, and the previous successful
 * run's step durations for the first projection.
 *
 * @param rtoMinutes targets.databaseRtoMinutes: every data store shares the databases' promise
 * @param reportsOffsite the offsite bucket the report is copied to when stored; null: none
 * @param previousStepMillis each step's duration in the previous successful run; empty: none
 */
public record RecoveryTiming(int rtoMinutes, String estate, OffsiteConfig reportsOffsite,
    Map<String, Long> previousStepMillis) {
  public RecoveryTiming {
    previousStepMillis = previousStepMillis == null ? Map.of() : Map.copyOf(previousStepMillis);
  }

  /** From the estate's config, with the previous run's step durations (empty: none known). */
  public static RecoveryTiming of(LifeboatConfig c, Map<String, Long> previousStepMillis) {
    return new RecoveryTiming(c.targets().databaseRtoMinutes(), c.estate(), c.offsite(),
        previousStepMillis);
  }
}
