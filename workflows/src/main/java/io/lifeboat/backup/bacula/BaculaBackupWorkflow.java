package io.lifeboat.backup.bacula;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A job of an existing Bacula Director, run and tracked through bconsole (issue 20). */
@WorkflowInterface
public interface BaculaBackupWorkflow {
  static BaculaBackupRequest request(io.lifeboat.config.LifeboatConfig c,
      io.lifeboat.config.BaculaConfig b, String trigger) {
    return new BaculaBackupRequest(b, c.estate(), c.repository(), c.retries(), trigger);
  }

  @WorkflowMethod
  BaculaBackupResult backup(BaculaBackupRequest request);

  @QueryMethod
  BaculaBackupStatus status();
}
