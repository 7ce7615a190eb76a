package io.lifeboat.backup.redis;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One Redis backup: assess, snapshot and store, read back and load, commit, expire. */
@WorkflowInterface
public interface RedisBackupWorkflow {

  @WorkflowMethod
  RedisBackupResult backup(RedisBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
