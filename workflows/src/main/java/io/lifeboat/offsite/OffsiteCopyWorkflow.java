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

  /** `offsite sync`: everything the offsite lacks, verified, the offsite retention applied. */
  static OffsiteCopyRequest syncRequest(LifeboatConfig c, OffsiteConfig offsite) {
    return new OffsiteCopyRequest(c.repository(), offsite, "sync", c.estate(),
        OffsiteScopes.all(), true, c.retries(), NotificationTarget.of(c));
  }

  @WorkflowMethod
  CopyRecord copy(OffsiteCopyRequest request);

  @QueryMethod
  List<StepTiming> progress();
}
