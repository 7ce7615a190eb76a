package io.lifeboat.drill;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.rollback.HealthResult;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's monthly application recovery test, never on the running app: the newest stored
 * build is downloaded (sha256 against its manifest, safe extraction) into a scratch release
 * root, npm ci, started under PM2 on a scratch name and port, asked its health URLs, then
 * removed (by the compensation). Reuses the rollback's staging, install, swap and health
 * activities on a scratch copy of the application entry.
 */
final class ApplicationScenario {
  private ApplicationScenario() {}

  /**
   * @param scratchKey this run's short key (RunKeys): the scratch copy's directory under the
   *     drill root, so two drills started in the same minute do not share it
   * @param runKey the staging key of the rollback activities (workflow id and whole run id)
   */
  static ScenarioResult run(DrillRequest r, StepRecorder steps, String scratchKey, String runKey,
      Compensation comp) {
    RollbackActivities quick =
        Stubs.of(RollbackActivities.class, r.retry(), Duration.ofMinutes(2), true);
    RollbackActivities slow =
        Stubs.of(RollbackActivities.class, r.retry(), Duration.ofMinutes(30), true);
    DrillActivities drill = Stubs.of(DrillActivities.class, r.retry(), Duration.ofMinutes(5), true);
    long rto = r.targets().applicationRtoMinutes() * 60_000L;
    int first = steps.steps().size();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> evidence = new ArrayList<>();
    boolean integrity = true;
    try {
      if (r.applications().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("no applications in the config",
            FailureKind.APP_UNKNOWN.type());
      }
      int i = 0;
      for (ApplicationConfig app : r.applications()) {
        String n = app.name();
        String name = DrillTargets.appPm2Name(r.drills(), app) + (i == 0 ? "" : "-" + i);
        var req = new DrillActivities.ScratchAppRequest(app,
            DrillTargets.appRoot(r.drills(), app) + "/" + scratchKey, name, r.drills().appPort() + i);
        i++;
        // Registered before anything exists: removal of what is not there is fine.
        comp.add("remove scratch copy of " + n + " (" + req.root() + ", pm2 " + name + ")",
            () -> drill.removeScratchApp(req));
        ApplicationConfig scratch = steps.run("application " + n + ": prepare scratch",
            () -> drill.prepareScratchApp(req));
        StagedRelease rel = steps.run("application " + n + ": restore newest backup",
            () -> slow.stageRelease(new StageRequest(scratch, r.repository(), runKey, null)));
        facts.put(n + ": restored", rel.source() + ", commit " + rel.commit() + ", "
            + rel.fileCount() + " files into " + req.root());
        if (rel.backupId() != null) {
          evidence.add(n + ": archive of " + rel.backupId() + " matches its manifest's sha256");
        }
        ReleaseStep step = new ReleaseStep(scratch, rel.stagingDir(), runKey);
        steps.run("application " + n + ": npm ci", () -> slow.installDependencies(step));
        steps.run("application " + n + ": place release", () -> quick.swapRelease(step));
        facts.put(n + ": started", steps.run("application " + n + ": start under pm2",
            () -> drill.startScratchApp(req)));
        HealthResult h = steps.run("application " + n + ": health check",
            () -> slow.verifyHealth(scratch));
        facts.put(n + ": health", String.join("; ", h.checks()));
        if (!h.healthy()) integrity = false;
        if (rel.commit() != null && h.commit() != null && !rel.commit().equals(h.commit())) {
          integrity = false;
          evidence.add(n + ": running commit " + h.commit() + " is not the restored " + rel.commit());
        } else {
          evidence.add(n + ": health URLs answered 2xx from commit " + h.commit() + " on port "
              + req.port());
        }
      }
      return new ScenarioResult(DrillScenarios.APPLICATION, ScenarioResult.OK,
          "restored and started " + r.applications().size() + " application(s) on scratch",
          DatabaseScenario.machine(steps, first), rto, integrity, evidence, facts);
    } catch (ActivityFailure | ApplicationFailure e) {
      if (e.getCause() instanceof CanceledFailure) throw e;
      return new ScenarioResult(DrillScenarios.APPLICATION, ScenarioResult.FAILED,
          FailureMessage.of(e), DatabaseScenario.machine(steps, first), rto, false, evidence,
          facts);
    }
  }
}
