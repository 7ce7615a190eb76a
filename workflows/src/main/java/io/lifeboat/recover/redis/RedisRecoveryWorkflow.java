package io.lifeboat.recover.redis;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Puts a stored RDB snapshot back under a Redis server. */
@WorkflowInterface
public interface RedisRecoveryWorkflow {
  @WorkflowMethod
  RedisRecoveryResult recover(RedisRecoveryRequest request);

  @QueryMethod
  String step();
}
