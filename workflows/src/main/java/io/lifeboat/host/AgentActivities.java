package io.lifeboat.host;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** What Temporal knows about the agents (issue 17): answered by the control worker. */
@ActivityInterface
public interface AgentActivities {
  /**
   * The identities of the workers that polled this task queue for activities recently
   * (DescribeTaskQueue, TASK_QUEUE_TYPE_ACTIVITY); empty when no agent serves it.
   */
  List<String> activityPollers(String taskQueue);
}
