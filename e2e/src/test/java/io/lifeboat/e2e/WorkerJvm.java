package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Worker processes (WorkerMain in a JVM of their own) that a test can SIGKILL, each logging
 * to DIR/NAME.log; closing stops whatever is still running.
 */
final class WorkerJvm implements AutoCloseable {
  private final Path dir;
  private final List<Process> started = new ArrayList<>();

  WorkerJvm(Path dir) {
    this.dir = dir;
  }

  Process start(Path config, String taskQueue, String name, Map<String, String> env)
      throws IOException {
    return start(name, env, "io.lifeboat.worker.WorkerMain", "--config", config.toString(),
        "--task-queue", taskQueue);
  }

  /** The agent of one host (issue 17): `lifeboat agent --host HOST` on this test's queue. */
  Process startAgent(Path config, String taskQueue, String host, String name,
      Map<String, String> env) throws IOException {
    return start(name, agentEnv(env), "io.lifeboat.worker.AgentMain", "--config",
        config.toString(), "--task-queue", taskQueue, "--host", host);
  }

  /** An agent keeps its record (AgentGuard) in this test's directory unless told otherwise. */
  private Map<String, String> agentEnv(Map<String, String> env) {
    Map<String, String> withRecords = new java.util.HashMap<>(env);
    withRecords.putIfAbsent("LIFEBOAT_AGENT_RUN_DIR", dir.resolve("agents").toString());
    return withRecords;
  }

  /** A worker that stops dead after the named activity's work (see HoldingWorkerMain). */
  Process startHolding(Path config, String taskQueue, String name, Map<String, String> env,
      String holdAfter) throws IOException {
    return start(name, env, HoldingWorkerMain.class.getName(), "--config", config.toString(),
        "--task-queue", taskQueue, "--hold-after", holdAfter);
  }

  /** The agent of {@code host} that stops dead after the named activity's work. */
  Process startHoldingAgent(Path config, String taskQueue, String host, String name,
      Map<String, String> env, String holdAfter) throws IOException {
    return start(name, agentEnv(env), HoldingWorkerMain.class.getName(), "--config",
        config.toString(), "--task-queue", taskQueue, "--host", host, "--hold-after", holdAfter);
  }

  /** Waits for the holding worker's "FAULT-HOLD TYPE" line. */
  void awaitHold(Process p, String name, String activity) throws Exception {
    awaitHold(p, name, activity, () -> null);
  }

  /**
   * As {@link #awaitHold(Process, String, String)}, and gives up as soon as {@code ended} says
   * why the workflow can no longer get there (it closed), instead of waiting out the bound.
   */
  void awaitHold(Process p, String name, String activity,
      java.util.function.Supplier<String> ended) throws Exception {
    for (int i = 0; i < 6000; i++) {
      if (log(name).contains("FAULT-HOLD " + activity)) return;
      if (!p.isAlive()) throw new AssertionError(name + " exited early:\n" + log(name));
      String why = i % 20 == 0 ? ended.get() : null;
      if (why != null) throw new AssertionError(activity + " never reached: " + why);
      Thread.sleep(50);
    }
    throw new AssertionError(activity + " never ran to its end on " + name + ":\n" + log(name));
  }

  private Process start(String name, Map<String, String> env, String main, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    pb.environment().put("LIFEBOAT_LOG_LEVEL", "INFO");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** SIGKILL: no shutdown hook, the activity in flight just vanishes. */
  static void kill(Process p) throws Exception {
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Null while the workflow runs, else its status (COMPLETED, FAILED, ...). */
  static String closed(WorkflowClient client, String workflowId) {
    var status = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
        .getWorkflowExecutionInfo().getStatus();
    return status == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        ? null : "the workflow is " + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  /** The workflow's pending activities right now (scheduled or started). */
  static List<PendingActivityInfo> pending(WorkflowClient client, String workflowId) {
    var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    return desc.getPendingActivitiesList();
  }

  /** The last heartbeat details of the named pending activity, if it sent any. */
  static <T> java.util.Optional<T> heartbeat(WorkflowClient client, String workflowId,
      String activity, Class<T> type) {
    for (PendingActivityInfo a : pending(client, workflowId)) {
      if (a.getActivityType().getName().equals(activity) && a.hasHeartbeatDetails()) {
        return java.util.Optional.ofNullable(client.getOptions().getDataConverter().fromPayloads(
            0, java.util.Optional.of(a.getHeartbeatDetails()), type, type));
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public void close() throws Exception {
    for (Process p : started) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }
}
