package io.lifeboat.backup.mariadb;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One MariaDB logical backup: assess, dump and store, restore into a scratch server, commit. */
@WorkflowInterface
public interface MariaDbBackupWorkflow {

  /**
   * The request a run by hand and the schedule both start, from the estate's config;
   * {@code physical} also when the source's method is physical.
   */
  static MariaDbBackupRequest request(io.lifeboat.config.LifeboatConfig c,
      io.lifeboat.config.MariaDbConfig m, boolean physical) {
    return new MariaDbBackupRequest(m, c.repository(), c.compression(),
        c.retention().fullDays(), c.retries(), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        io.lifeboat.notify.NotificationTarget.of(c),
        physical || m.physical() ? Boolean.TRUE : null);
  }

  @WorkflowMethod
  MariaDbBackupResult backup(MariaDbBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
