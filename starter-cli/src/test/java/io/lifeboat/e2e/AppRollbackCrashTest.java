package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.workflows.app.RollbackResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The worker, a separate JVM, is SIGKILLed while the rollback runs npm in the staged release.
 * A second worker takes the step over; the rollback ends with the app healthy on the previous
 * release, exactly once swapped.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AppRollbackCrashTest {
  private RealStack stack;
  private SampleApp app;
  private final List<Process> workers = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
  }

  @AfterEach
  void down() throws Exception {
    for (Process p : workers) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (app != null) app.close();
    stack.close();
  }

  private Process worker(Path config, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.lifeboat.worker.WorkerMain", "--config", config.toString(), "--task-queue", stack.taskQueue)
        .redirectErrorStream(true)
        .redirectOutput(stack.dir.resolve(name + ".log").toFile());
    pb.environment().putAll(SampleApp.workerEnv());
    pb.environment().put("LIFEBOAT_LOG_LEVEL", "INFO");
    Process p = pb.start();
    workers.add(p);
    return p;
  }

  @Test
  void sigkillDuringInstallStillEndsInAWorkingApp() throws Exception {
    // previous/ installs slowly: time to kill the worker in the middle of npm ci.
    app.postinstall("previous", "setTimeout(() => {}, 8000)");
    killDuring("InstallDependencies", 500);
  }

  @Test
  void sigkillWhileTheStoppedAppComesBackStillEndsInAWorkingApp() throws Exception {
    // The app takes 8 s to listen after a (re)start: the worker dies while the app is down.
    app.close();
    app = new SampleApp(stack, Map.of("STARTUP_DELAY_MS", "8000"));
    killDuring("VerifyHealth", -1);
  }

  /** Kills worker-1 while the named activity runs; expectedHealthAtKill -1: nothing answers. */
  private void killDuring(String activity, int expectedHealthAtKill) throws Exception {
    app.start();
    Path config = stack.config("crash", root -> {
      app.addTo(root);
      root.putObject("metrics").put("port", SampleApp.freePort());
    });
    Process first = worker(config, "worker-1");
    app.corrupt();
    RealStack.Run start = stack.cli("rollback", "app", "--config", config.toString());
    assertEquals(0, start.exit(), start.err());
    String workflowId = "rollback-app-farmtally";
    WorkflowClient client = stack.temporal().client();

    boolean running = false;
    for (int i = 0; i < 600 && !running; i++) {
      assertTrue(first.isAlive(), () -> "worker-1 exited early: " + log("worker-1"));
      running = pending(client, workflowId).contains(activity);
      if (!running) Thread.sleep(100);
    }
    assertTrue(running, () -> activity + " under way before the kill; worker-1 log:\n"
        + log("worker-1"));
    Thread.sleep(1500); // the step is in the middle of its work now
    first.destroyForcibly(); // SIGKILL: no shutdown hook, the activity just vanishes
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue(), "killed by SIGKILL");
    assertEquals(expectedHealthAtKill, app.status("/api/health"),
        "at the kill: 500 = still the broken release, -1 = the app is down");

    worker(config, "worker-2");
    RollbackResult result = client.newUntypedWorkflowStub(workflowId)
        .getResult(5, TimeUnit.MINUTES, RollbackResult.class);

    int maxAttempt = 0;
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskStartedEventAttributes()) {
        maxAttempt = Math.max(maxAttempt, e.getActivityTaskStartedEventAttributes().getAttempt());
      }
    }
    assertTrue(maxAttempt >= 2, "the killed step was retried after the kill");
    assertTrue(result.health().healthy());
    assertEquals(200, app.status("/api/health"));
    assertTrue(app.body("/api/health").contains("\"revision\":\"r1\""), app.body("/api/health"));
    try (var left = Files.list(app.root)) {
      List<String> names = left.map(p -> p.getFileName().toString()).toList();
      assertEquals(1, names.stream().filter(n -> n.startsWith("replaced-")).count(), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith(".rollback-")), names.toString());
    }
  }

  private static String pending(WorkflowClient client, String workflowId) {
    var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    StringBuilder sb = new StringBuilder();
    for (PendingActivityInfo a : desc.getPendingActivitiesList()) {
      sb.append(a.getActivityType().getName()).append(' ');
    }
    return sb.toString();
  }

  private String log(String name) {
    try {
      return Files.readString(stack.dir.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
