package io.lifeboat.offsite;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The offsite copy (3-2-1): after a backup commits, or on `lifeboat offsite sync`, copy what the
 * offsite bucket lacks, verify it, expire old copies by the offsite's own retention. Runs as an
 * abandoned child of the backup: its failure is reported (notification, metric) and never marks
 * the primary backup bad; the next run copies what this one missed.
 */
@WorkflowInterface
public interface OffsiteCopyWorkflow {
  /**
   * {@code offsite-sync-ESTATE}: a sync started by hand. The copy a backup starts as its child
   * keeps its own id ({@code offsite-KIND-SOURCE-BACKUPID}, see {@code OffsiteAfterBackup}).
   */
  static String syncWorkflowId(String estate) {
    return WorkflowIds.of("offsite-sync", estate);
  }

  /**
   * The sync of one copy repository (issue 20): {@code offsite-sync-ESTATE} for the first one
   * named "offsite" (the id it always had), {@code offsite-sync-ESTATE-NAME} for any other.
   */
  static String syncWorkflowId(String estate, OffsiteConfig repository) {
    return repository.named() ? WorkflowIds.of("offsite-sync", estate, repository.repositoryName())
        : syncWorkflowId(estate);
  }

  /** `offsite sync`: everything the offsite lacks, verified, the offsite retention applied. */
  static OffsiteCopyRequest syncRequest(LifeboatConfig c, OffsiteConfig offsite) {
    return new OffsiteCopyRequest(c.repository(), offsite.alone(), "sync", c.estate(),
        OffsiteScopes.all(), true, c.retries(), NotificationTarget.of(c));
  }

  /**
   * {@code offsite-wal-ESTATE-DATABASE}: the schedule (and, with its fire time appended, the
   * runs) that copies a database's new WAL segments offsite every few minutes.
   */
  static String walSyncWorkflowId(String estate, String database) {
    return WorkflowIds.of("offsite-wal", estate, database);
  }

  /**
   * The WAL sync of one database: {@code wal/NAME/} only, no retention (WAL is not expired
   * offsite), and no notification per run (it runs every few minutes: OffsiteCopyFailed and
   * OffsiteWalBehind alert instead).
   */
  static OffsiteCopyRequest walSyncRequest(LifeboatConfig c, OffsiteConfig offsite,
      String database) {
    return new OffsiteCopyRequest(c.repository(), offsite.alone(), "wal", database,
        OffsiteScopes.walOf(database), false, c.retries(), null);
  }

  @WorkflowMethod
  CopyRecord copy(OffsiteCopyRequest request);

  @QueryMethod
  List<StepTiming> progress();
}
