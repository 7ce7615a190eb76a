package io.lifeboat.recover.db;

import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * The live answer to "where are we, and will we make the RTO?".
 *
 * @param rtoStatus on-track, breached or met
 */
public record RecoveryProgress(
    String database, String target, String method, String step, long elapsedMillis,
    long rtoTargetMillis, String rtoStatus, List<StepTiming> steps) {}
