package io.lifeboat.cli;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.rollback.ApplicationRollbackRequest;
import io.lifeboat.backup.config.ConfigurationBackupRequest;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.stream.Collectors;

/** How application and configuration backups and rollbacks start, by hand and by schedule. */
final class AppPlans {
  private AppPlans() {}

  /** NAME, or the only application when the config has one. */
  static ApplicationConfig application(Session s, String name) {
    LifeboatConfig c = s.config();
    if (c.applications().isEmpty()) {
      throw new UserError(s.configPath() + " lists no applications (add an 'applications:' section)");
    }
    if (name == null) {
      if (c.applications().size() == 1) return c.applications().get(0);
      throw new UserError("name the application: " + s.configPath() + " lists " + names(c));
    }
    return c.application(name).orElseThrow(() -> new UserError("unknown application '" + name
        + "': " + s.configPath() + " lists " + names(c)));
  }

  private static String names(LifeboatConfig c) {
    return c.applications().stream().map(ApplicationConfig::name).collect(Collectors.joining(", "));
  }

  static ApplicationBackupRequest appBackup(LifeboatConfig c, ApplicationConfig a, String reason) {
    return new ApplicationBackupRequest(a, c.repository(), c.retries(), reason,
        io.lifeboat.offsite.OffsiteTarget.of(c.offsite(),
            MonitoringPlans.notifications(c)));
  }

  static ConfigurationBackupRequest configBackup(LifeboatConfig c) {
    return new ConfigurationBackupRequest(c.estate(), c.configuration(), c.repository(), c.retries(),
        io.lifeboat.offsite.OffsiteTarget.of(c.offsite(),
            MonitoringPlans.notifications(c)));
  }

  static ApplicationRollbackRequest rollback(LifeboatConfig c, ApplicationConfig a, String to) {
    return new ApplicationRollbackRequest(c.estate(), a, c.repository(), to,
        c.targets().applicationRtoMinutes(), c.retries(), MonitoringPlans.notifications(c), null);
  }

  /**
   * Per estate, as the configuration backup's: the id is the lock of {@link WorkflowLaunch}
   * (and the schedule's id), which covers the whole namespace, and one namespace may serve
   * several estates with an application of the same name.
   */
  static String appBackupId(LifeboatConfig c, ApplicationConfig a) {
    return "backup-app-" + c.estate() + "-" + a.name();
  }

  /** The schedule id before the estate was in it, for `schedules apply` to retire. */
  static String legacyAppBackupId(ApplicationConfig a) {
    return "backup-app-" + a.name();
  }

  /** Per estate: one Temporal namespace may serve several estates. */
  static String configBackupId(LifeboatConfig c) {
    return "backup-config-" + c.estate();
  }

  /** Per estate, for the same reason as {@link #appBackupId}. */
  static String rollbackId(LifeboatConfig c, ApplicationConfig a) {
    return "rollback-app-" + c.estate() + "-" + a.name();
  }

  static WorkflowOptions.Builder options(LifeboatConfig c, String workflowId, String kind,
      String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(taskQueue != null ? taskQueue : c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(KIND, kind).build());
  }

  static final String APP = LifeboatSearchAttributes.KIND_APP;
  static final String CONFIG = LifeboatSearchAttributes.KIND_CONFIG;
  static final String ROLLBACK = LifeboatSearchAttributes.KIND_APP_ROLLBACK;
}
