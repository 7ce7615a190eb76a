package io.lifeboat.cli;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.rollback.ApplicationRollbackWorkflow;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.stream.Collectors;

/** How application and configuration backups and rollbacks start, by hand and by schedule. */
public final class AppPlans {
  private AppPlans() {}

  /** NAME, or the only application when the config has one. */
  public static ApplicationConfig application(Session s, String name) {
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

  /**
   * Per estate, as the configuration backup's: the id is the lock of {@link WorkflowLaunch}
   * (and the schedule's id), which covers the whole namespace, and one namespace may serve
   * several estates with an application of the same name.
   */
  public static String appBackupId(LifeboatConfig c, ApplicationConfig a) {
    return ApplicationBackupWorkflow.workflowId(c.estate(), a.name());
  }

  /** Per estate: one Temporal namespace may serve several estates. */
  public static String configBackupId(LifeboatConfig c) {
    return ConfigurationBackupWorkflow.workflowId(c.estate());
  }

  /** Per estate, for the same reason as {@link #appBackupId}. */
  public static String rollbackId(LifeboatConfig c, ApplicationConfig a) {
    return ApplicationRollbackWorkflow.workflowId(c.estate(), a.name());
  }

  public static WorkflowOptions.Builder options(LifeboatConfig c, String workflowId, String kind,
      String taskQueue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(taskQueue != null ? taskQueue : c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(KIND, kind).build());
  }

  public static final String APP = LifeboatSearchAttributes.KIND_APP;
  public static final String CONFIG = LifeboatSearchAttributes.KIND_CONFIG;
  public static final String ROLLBACK = LifeboatSearchAttributes.KIND_APP_ROLLBACK;
}
