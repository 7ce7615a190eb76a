package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.rollback.RollbackActivities;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The services step of a server recovery (step 5): every application the target restores
 * started under PM2 in the order of their priority, pm2 save once, each one's health checked
 * where it listens on the target, then nginx (issue 17). Runs recorded before start and check
 * the target's own application only, as they were written.
 */
final class TargetServices {
  /** The version marker around starting every application (Workflow.getVersion). */
  static final String CHANGE_ID = "start-every-application";

  private TargetServices() {}

  /** What the step did, for the report's Services fact. */
  static String start(ServerRecoveryRequest req, ServerTargetConfig target,
      ServerRecoveryActivities quick, RollbackActivities release) {
    ApplicationConfig own = TargetEstate.application(target, req.application());
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      String pm2 = release.startApp(own);
      quick.savePm2(own);
      var health = release.verifyHealth(own);
      if (!health.healthy()) {
        throw FailureKind.APP_UNHEALTHY.failure("the app does not answer on the target: "
            + String.join("; ", health.checks()));
      }
      return pm2 + "; " + quick.startNginx(target);
    }
    List<ApplicationConfig> apps = applications(req, target);
    List<String> said = new ArrayList<>();
    for (ApplicationConfig app : apps) said.add(app.name() + ": " + release.startApp(app));
    // One PM2 daemon on the target (PM2_HOME): one save dumps every process.
    said.add(quick.savePm2(own));
    for (ApplicationConfig app : apps) {
      var health = release.verifyHealth(app);
      if (!health.healthy()) {
        throw FailureKind.APP_UNHEALTHY.failure("application " + app.name() + " does not answer"
            + " on the target: " + String.join("; ", health.checks()));
      }
      said.add(app.name() + " healthy at " + app.healthUrl());
    }
    said.add(quick.startNginx(target));
    return String.join("; ", said);
  }

  /** The target's applications as they are on it, in restore order. */
  static List<ApplicationConfig> applications(ServerRecoveryRequest req,
      ServerTargetConfig target) {
    return RestorePlan.order(req).stream().filter(i -> !i.isDatabase())
        .map(i -> TargetEstate.application(target, i.application())).toList();
  }
}
