package io.lifeboat.backup.redis;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One Redis backup: assess, snapshot and store, read back and load, commit, expire. */
@WorkflowInterface
public interface RedisBackupWorkflow {

  /** The request a run by hand and the schedule both start, from the estate's config. */
  static RedisBackupRequest request(io.lifeboat.config.LifeboatConfig c,
      io.lifeboat.config.RedisConfig r) {
    return new RedisBackupRequest(r, c.repository(), c.compression(), c.retention().fullDays(),
        c.retries(), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        io.lifeboat.notify.NotificationTarget.of(c));
  }

  @WorkflowMethod
  RedisBackupResult backup(RedisBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
