package io.lifeboat.recover.server;

import io.lifeboat.approval.WaitingStep;
import io.lifeboat.run.Projection;
import io.lifeboat.run.StepTiming;
import java.util.List;

/**
 * What {@code recover server --wait} and the web UI show while a recovery runs.
 *
 * @param humanWaitMillis time spent so far waiting for people (finished human steps)
 * @param waiting the human steps waiting now, with the command that approves them
 * @param projection when the recovery is projected to finish, against the RTO (null for runs
 *     recorded before projections)
 */
public record ServerRecoveryProgress(
    String target,
    String address,
    String currentStep,
    long elapsedMillis,
    long humanWaitMillis,
    long rtoMillis,
    String rtoStatus,
    List<StepTiming> steps,
    List<WaitingStep> waiting,
    Projection projection) {}
