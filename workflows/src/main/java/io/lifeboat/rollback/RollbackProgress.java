package io.lifeboat.rollback;

import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * Where a rollback is, against its RTO.
 *
 * @param rtoStatus on-track, at-risk (past 80 % of the RTO) or breached
 */
public record RollbackProgress(
    String application,
    String step,
    long startedAtMillis,
    long elapsedMillis,
    long rtoMillis,
    String rtoStatus,
    String source,
    List<StepTiming> steps) {}
