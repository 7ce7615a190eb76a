package io.lifeboat.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Start a workflow, refuse when one already runs, then either say where it runs or follow it
 * to its result and print that: the shape every starting verb shares, written once.
 *
 * <p>The workflow id is the lock: a manual run has a fixed id, reuse is allowed once the last
 * run closed, and a start while one runs fails ({@code WORKFLOW_ID_CONFLICT_POLICY_FAIL}), which
 * the server decides atomically. A retried start carries the same request id, which the server
 * answers with the run it already created, so a slow first attempt cannot refuse its own retry
 * (checked against the dev server: the same request id gets the same run, even once it closed).
 * The lock covers the whole namespace, so the id must name what it locks: application backups
 * and rollbacks name the estate ({@code backup-app-ESTATE-NAME-manual},
 * {@code rollback-app-ESTATE-NAME}), as the configuration backup does, so two estates sharing a
 * namespace and an application name no longer refuse each other's runs.
 */
public final class WorkflowLaunch {
  /** Follows a started workflow to its result; {@code show} is false under --json. */
  public interface Follow<R> {
    R await(boolean show);
  }

  /** Prints a result as text; {@code link} is the run's page in the web UI. */
  public interface Summary<R> {
    void print(R result, String link);
  }

  private final Session session;
  private final LaunchOptions flags;
  private final PrintWriter out;
  private final String workflowId;
  private final Map<String, Object> startedJson = new LinkedHashMap<>();
  private String startedLine;
  private String followingLine;

  public WorkflowLaunch(Session session, LaunchOptions flags, PrintWriter out, String workflowId) {
    this.session = session;
    this.flags = flags;
    this.out = out;
    this.workflowId = workflowId;
  }

  public String workflowId() {
    return workflowId;
  }

  public String link() {
    return session.temporal().webLink(workflowId);
  }

  public boolean json() {
    return flags.json;
  }

  /**
   * The options every manual start uses: this id, a new run allowed once the last one closed,
   * none while one runs; --task-queue over the config's queue.
   */
  public WorkflowOptions options(WorkflowOptions.Builder base) {
    base.setWorkflowId(workflowId)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    if (flags.taskQueue != null) base.setTaskQueue(flags.taskQueue);
    return base.build();
  }

  /**
   * Refuses when a run the id cannot see runs already (a scheduled run has its own id). The
   * list comes from visibility, which lags: a run that just closed may still be listed as
   * running there, so each candidate is confirmed with the server's own state first.
   */
  public WorkflowLaunch refuseIfRunning(String visibilityQuery, Function<String, String> refusal) {
    WorkflowClient client = session.temporal().client();
    client.listExecutions(visibilityQuery + " AND ExecutionStatus='Running'")
        .map(m -> m.getExecution().getWorkflowId())
        .filter(id -> stillRunning(client, id))
        .findFirst()
        .ifPresent(id -> {
          throw new UserError(refusal.apply(id));
        });
    return this;
  }

  /**
   * Refuses when a run under one of the id's older spellings still runs ({@code
   * legacyIds} of the workflow's interface): a run started by a version before
   * {@link io.lifeboat.run.WorkflowIds}' estate rule holds the same lock under its old id.
   */
  public WorkflowLaunch refuseIfRunningUnder(java.util.List<String> olderIds,
      Function<String, String> refusal) {
    if (olderIds.isEmpty()) return this;
    WorkflowClient client = session.temporal().client();
    for (String older : olderIds) {
      if (stillRunning(client, older)) throw new UserError(refusal.apply(older));
    }
    return this;
  }

  /** The server's own answer (visibility lags): is this id's current run still running? */
  public static boolean stillRunning(WorkflowClient client, String workflowId) {
    try {
      var info = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build()).getWorkflowExecutionInfo();
      return info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) return false; // gone since listed
      throw e;
    }
  }

  /** What to print when not waiting (it names the id and {@link #link()}). */
  public WorkflowLaunch startedLine(String line) {
    this.startedLine = line;
    return this;
  }

  /** A field the --json answer of a start without --wait carries beside the id and the link. */
  public WorkflowLaunch startedJson(String key, Object value) {
    startedJson.put(key, value);
    return this;
  }

  /** The line printed (without --json) before following the run. */
  public WorkflowLaunch followingLine(String line) {
    this.followingLine = line;
    return this;
  }

  /** Starts the workflow; {@code refusal} is the one line when a run of this id is running. */
  public WorkflowLaunch start(Runnable start, String refusal) {
    try {
      start.run();
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UserError(refusal);
    }
    return this;
  }

  /**
   * Without --wait: prints where the run is and returns empty. With --wait: follows it and
   * returns its result (a failed run became {@link OperationFailed} on the way).
   */
  public <R> Optional<R> follow(Follow<R> follow) {
    String link = link();
    if (!flags.waitForIt) {
      if (flags.json) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workflowId", workflowId);
        answer.put("webUi", link);
        answer.putAll(startedJson);
        out.println(Json.write(answer));
      } else {
        out.println(startedLine);
      }
      return Optional.empty();
    }
    if (!flags.json && followingLine != null) out.println(followingLine);
    return Optional.of(follow.await(!flags.json));
  }

  /** {@link #follow}, then the result as JSON or as the summary; exit 0. */
  public <R> int followAndPrint(Follow<R> follow, Summary<R> summary) {
    follow(follow).ifPresent(r -> print(r, summary));
    return 0;
  }

  <R> void print(R result, Summary<R> summary) {
    if (flags.json) {
      out.println(Json.write(result));
    } else {
      summary.print(result, link());
    }
  }
}
