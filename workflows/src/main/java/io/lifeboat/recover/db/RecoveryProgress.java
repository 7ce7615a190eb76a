package io.lifeboat.recover.db;

import io.lifeboat.run.Projection;
import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * The live answer to "where are we, and will we make the RTO?".
 *
 * @param rtoStatus on-track, at-risk, breached or met
 * @param projection when the recovery is projected to finish, against the RTO (null before
 *     it starts and for runs recorded before projections)
 */
public record RecoveryProgress(
    String database, String target, String method, String step, long elapsedMillis,
    long rtoTargetMillis, String rtoStatus, List<StepTiming> steps, Projection projection) {}
