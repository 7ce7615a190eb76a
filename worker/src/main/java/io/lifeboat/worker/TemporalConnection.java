package io.lifeboat.worker;

import io.lifeboat.config.TemporalConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/** The one way Lifeboat's processes reach Temporal, so CLI and worker agree on it. */
public final class TemporalConnection implements AutoCloseable {
  private final TemporalConfig config;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private TemporalConnection(TemporalConfig config) {
    this.config = config;
    this.stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.address()).build());
    this.client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(config.namespace()).build());
  }

  public static TemporalConnection open(TemporalConfig config) {
    return new TemporalConnection(config);
  }

  public WorkflowClient client() {
    return client;
  }

  public ScheduleClient schedules() {
    return ScheduleClient.newInstance(stubs,
        ScheduleClientOptions.newBuilder().setNamespace(config.namespace()).build());
  }

  public TemporalConfig config() {
    return config;
  }

  /** The web UI page of one workflow. */
  public String webLink(String workflowId) {
    return config.webUi() + "/namespaces/" + config.namespace() + "/workflows/" + workflowId;
  }

  @Override
  public void close() {
    stubs.shutdown();
  }
}
