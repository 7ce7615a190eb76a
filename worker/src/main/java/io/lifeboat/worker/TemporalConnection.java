package io.lifeboat.worker;

import com.uber.m3.tally.Scope;
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

  private TemporalConnection(TemporalConfig config, Scope metricsScope) {
    this.config = config;
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.address());
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    this.stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    this.client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(config.namespace()).build());
  }

  /** A connection without metrics, as the CLI uses it. */
  public static TemporalConnection open(TemporalConfig config) {
    return new TemporalConnection(config, null);
  }

  /**
   * A connection whose client, and the workers made from it, report the SDK's metrics and the
   * workflows' own ({@code Workflow.getMetricsScope()}) into {@code metricsScope}.
   */
  public static TemporalConnection open(TemporalConfig config, Scope metricsScope) {
    return new TemporalConnection(config, metricsScope);
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
