package io.lifeboat.backup.bacula;

import io.lifeboat.config.BaculaConfig;
import io.temporal.activity.ActivityInterface;

/**
 * bconsole against an existing Director (issue 20). They run where bacula[].bconsoleConfig is
 * (the job's host agent, or the control worker), and the restore check reads that host's disk.
 */
@ActivityInterface
public interface BaculaActivities {
  /**
   * {@code run job=NAME comment="TAG" yes}; its JobId. A retry first looks for a job of that
   * name carrying {@code tag} and returns its JobId instead of starting a second one.
   */
  long baculaStart(BaculaConfig bacula, String tag);

  /** Polls {@code llist jobid=N} until the job ends, heartbeating its JobStatus and counts. */
  BaculaJob baculaWait(BaculaConfig bacula, long jobId);

  /**
   * {@code restore jobid=N client=C where=DIR all done yes} into restoreWhere/lifeboat-N, waits
   * for it, compares the restored copy of comparePath with comparePath, then removes it.
   */
  BaculaRestoreCheck baculaRestoreCompare(BaculaConfig bacula, long jobId);
}
