package io.lifeboat.recover.server;

import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.util.List;

/**
 * @param url where the recovered app answers (https://DOMAIN:PORT)
 * @param machineMillis time the machines worked; {@code humanWaitMillis} the time people took
 * @param reportKey the JSON report in the repository, or null when storing it failed
 */
public record ServerRecoveryResult(
    String target,
    String address,
    String url,
    String rtoStatus,
    long machineMillis,
    long humanWaitMillis,
    List<StepTiming> steps,
    HttpsCheck health,
    RunReport report,
    String reportKey) {}
