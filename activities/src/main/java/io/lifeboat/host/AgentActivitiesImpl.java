package io.lifeboat.host;

import io.lifeboat.host.AgentActivities;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;

/**
 * Asks Temporal which workers poll a host's queue for activities (issue 17). The server keeps a
 * poller listed for minutes after its last poll; a poller that has not polled for
 * {@link #STALE_SECONDS} (a long poll lasts about a minute) is taken for gone.
 */
public final class AgentActivitiesImpl implements AgentActivities {
  static final long STALE_SECONDS = 120;

  private final WorkflowServiceStubs service;
  private final String namespace;

  public AgentActivitiesImpl(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.namespace = namespace;
  }

  @Override
  public List<String> activityPollers(String taskQueue) {
    DescribeTaskQueueResponse r = service.blockingStub().describeTaskQueue(
        DescribeTaskQueueRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).build())
            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
            .build());
    long now = System.currentTimeMillis() / 1000;
    return r.getPollersList().stream()
        .filter(p -> !p.hasLastAccessTime()
            || now - p.getLastAccessTime().getSeconds() < STALE_SECONDS)
        .map(PollerInfo::getIdentity)
        .toList();
  }
}
