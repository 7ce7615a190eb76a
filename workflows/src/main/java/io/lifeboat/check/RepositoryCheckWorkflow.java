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

  /** Every database's full dumps: the sources before the other kinds were checked. */
  static List<CheckSource> sources(List<DatabaseConfig> dbs) {
    return dbs.stream()
        .map(d -> new CheckSource(LifeboatSearchAttributes.KIND_DB_FULL, d.name())).toList();
  }

  /**
   * Every kind the config backs up or exercises: each database's dumps and base backups, each
   * application's backups, the configuration backup (when configured), each Redis, MariaDB,
   * OpenSearch and files source, and each scheduled drill cadence (monthly, quarterly). A kind
   * the config does not name has no source: it is skipped, not failed.
   */
  static List<CheckSource> sources(LifeboatConfig c) {
    List<CheckSource> out = new java.util.ArrayList<>();
    for (DatabaseConfig d : c.databases()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_DB_FULL, d.name()));
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_DB_BASE, d.name()));
    }
    for (var a : c.applications()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_APP, a.name()));
    }
    if (!c.configuration().isEmpty()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_CONFIG, c.estate()));
    }
    for (var r : c.redis()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_REDIS, r.name()));
    }
    for (var m : c.mariadb()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_MARIADB, m.name()));
    }
    for (var o : c.opensearch()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_OPENSEARCH, o.name()));
    }
    for (var f : c.files()) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_FILES, f.name()));
    }
    if (c.drills().monthlySchedule() != null) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_DRILL, "monthly"));
    }
    if (c.drills().quarterlySchedule() != null) {
      out.add(new CheckSource(LifeboatSearchAttributes.KIND_DRILL, "quarterly"));
    }
    return out;
  }

  static RepositoryCheckRequest request(LifeboatConfig c) {
    return new RepositoryCheckRequest(sources(c), c.repository(), c.checks(),
        c.schedules().timezone(), c.retries(), NotificationTarget.of(c),
        c.retention().reportsAuditDays());
  }

  @WorkflowMethod
  CheckReport check(RepositoryCheckRequest request);
}
