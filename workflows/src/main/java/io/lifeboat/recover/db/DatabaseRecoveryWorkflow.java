package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Recovers one database, as the runbook does by hand: assess, stop the application, restore
 * (the newest dump, or a base backup plus WAL replay to a target), verify, swap the recovered
 * copy in, restart the application, check its health. Run with the workflow id
 * {@link #workflowId(String, String) recover-db-ESTATE-NAME}, so a second recovery of the same
 * database is refused by Temporal.
 */
@WorkflowInterface
public interface DatabaseRecoveryWorkflow {
  String ID_KIND = "recover-db";

  /**
   * {@code recover-db-ESTATE-NAME}: one recovery of a database at a time, per estate (the lock
   * covers the namespace, which several estates may share).
   */
  static String workflowId(String estate, String database) {
    return WorkflowIds.of(ID_KIND, estate, database);
  }

  /** {@code recover-db-NAME}: before the estate was in it; a start refuses while it runs. */
  static List<String> legacyIds(String estate, String database) {
    return WorkflowIds.olderThan(workflowId(estate, database), ID_KIND + "-" + database);
  }


  /** The request `recover db` starts, from the estate's config. */
  static RecoveryRequest request(LifeboatConfig c, DatabaseConfig db, RecoveryTarget target) {
    return new RecoveryRequest(db, c.repository(), target, c.targets().databaseRtoMinutes(),
        c.estate(), c.retries(), io.lifeboat.notify.NotificationTarget.of(c), null, null,
        c.offsite());
  }

  /**
   * The same, reading from the repository named {@code from} ({@code primary}, {@code offsite}:
   * {@link io.lifeboat.config.RepositoryChoice}); from any but the primary, the recovered
   * server starts with archiving off unless recovery.serverSettings say where it goes.
   *
   * @throws io.lifeboat.config.ConfigException for an unknown name or a missing offsite
   */
  static RecoveryRequest request(LifeboatConfig c, DatabaseConfig db, RecoveryTarget target,
      String from) {
    return new RecoveryRequest(RecoveryRequest.withoutArchivingUnlessConfigured(db, from),
        io.lifeboat.config.RepositoryChoice.resolve(c, from), target,
        c.targets().databaseRtoMinutes(), c.estate(), c.retries(),
        io.lifeboat.notify.NotificationTarget.of(c), null, from,
        from == null || io.lifeboat.config.RepositoryChoice.PRIMARY.equals(from)
            ? c.offsite() : null);
  }

  @WorkflowMethod
  RecoveryResult recover(RecoveryRequest request);

  /** Current step, time used against the RTO, each finished step's time. */
  @QueryMethod
  RecoveryProgress progress();
}
