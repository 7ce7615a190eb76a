package io.lifeboat.rollback;

import io.lifeboat.run.Projection;
import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * Where a rollback is, against its RTO.
 *
 * @param rtoStatus on-track, at-risk (past 80 % of the RTO, or projected past it) or breached
 * @param projection when the rollback is projected to finish (null in runs recorded before)
 */
public record RollbackProgress(
    String application,
    String step,
    long startedAtMillis,
    long elapsedMillis,
    long rtoMillis,
    String rtoStatus,
    String source,
    List<StepTiming> steps,
    Projection projection) {}
