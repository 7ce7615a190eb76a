package io.lifeboat.rollback;

import io.lifeboat.run.StepTiming;
import java.util.List;

public record RollbackResult(
    String application,
    AppState before,
    StagedRelease release,
    SwapResult swap,
    HealthResult health,
    long elapsedMillis,
    long rtoMillis,
    String rtoStatus,
    List<StepTiming> steps,
    String reportKey) {}
