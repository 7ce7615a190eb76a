package io.lifeboat.check;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The scheduled form of {@code lifeboat check}: judges the repository, exposes the findings as
 * metrics and notifies when the set of problems changes (not every hour while it persists).
 */
@WorkflowInterface
public interface RepositoryCheckWorkflow {
  String ID_KIND = "check-backups";

  /** {@code check-backups-ESTATE}: the hourly schedule's id and the base of its runs' ids. */
  static String workflowId(String estate) {
    return WorkflowIds.of(ID_KIND, estate);
  }

  /** The sources whose backups are checked: every database's full dumps, for now. */
  static List<CheckSource> sources(List<DatabaseConfig> dbs) {
    return dbs.stream()
        .map(d -> new CheckSource(LifeboatSearchAttributes.KIND_DB_FULL, d.name())).toList();
  }

  static RepositoryCheckRequest request(LifeboatConfig c) {
    return new RepositoryCheckRequest(sources(c.databases()), c.repository(), c.checks(),
        c.schedules().timezone(), c.retries(), NotificationTarget.of(c));
  }

  @WorkflowMethod
  CheckReport check(RepositoryCheckRequest request);
}
