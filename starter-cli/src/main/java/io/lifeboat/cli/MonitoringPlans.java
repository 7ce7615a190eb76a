package io.lifeboat.cli;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.RepositoryCheckRequest;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.verify.VerificationRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.List;

/** How verification and checks are started, the same way by hand and by a schedule. */
public final class MonitoringPlans {
  /** Schedule and workflow ids carry the estate, so two estates on one Temporal never collide. */
  public static String verifyId(LifeboatConfig c) {
    return "verify-backups-" + slug(c.estate());
  }

  public static String checkId(LifeboatConfig c) {
    return "check-backups-" + slug(c.estate());
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private MonitoringPlans() {}

  public static NotificationTarget notifications(LifeboatConfig c) {
    return NotificationTarget.of(c.notifications(), c.temporal().webUi(), c.temporal().namespace());
  }

  public static VerificationRequest verification(LifeboatConfig c, List<DatabaseConfig> dbs,
      boolean restore) {
    return new VerificationRequest(dbs, c.repository(), restore, c.retries(), notifications(c));
  }

  /** The sources whose backups are checked: every database's full dumps, for now. */
  public static List<CheckSource> sources(LifeboatConfig c, List<DatabaseConfig> dbs) {
    return dbs.stream()
        .map(d -> new CheckSource(LifeboatSearchAttributes.KIND_DB_FULL, d.name())).toList();
  }

  public static RepositoryCheckRequest check(LifeboatConfig c) {
    return new RepositoryCheckRequest(sources(c, c.databases()), c.repository(), c.checks(),
        c.schedules().timezone(), c.retries(), notifications(c));
  }

  public static WorkflowOptions.Builder options(LifeboatConfig c, String workflowId, String kind) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(KIND, kind).build());
  }
}
