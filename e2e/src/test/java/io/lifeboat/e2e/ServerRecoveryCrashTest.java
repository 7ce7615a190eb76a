package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.recover.server.ServerRecoveryResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A server recovery whose worker (a separate JVM) is SIGKILLed while ansible configures the
 * target, and the next one while npm ci installs the release (a postinstall keeps it busy for
 * a few seconds). The third worker finishes: the app answers over HTTPS with restored rows.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryCrashTest {
  private RealStack stack;
  private SampleApp app;
  private ServerTarget target;
  private final List<Process> workers = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    app.postinstall("current", "setTimeout(() => {}, 10000)");
    target = new ServerTarget(stack, app);
  }

  @AfterEach
  void down() throws Exception {
    for (Process p : workers) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    try {
      if (target != null) target.close();
    } finally {
      app.close();
      stack.close();
    }
  }

  private Process worker(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.lifeboat.worker.WorkerMain", "--config", target.config.toString(), "--task-queue",
        stack.taskQueue)
        .redirectErrorStream(true).redirectOutput(stack.dir.resolve(name + ".log").toFile());
    Map<String, String> env = new HashMap<>(SampleApp.workerEnv());
    env.put("LIFEBOAT_LOG_LEVEL", "INFO");
    pb.environment().putAll(env);
    Process p = pb.start();
    workers.add(p);
    return p;
  }

  @Test
  void sigkillDuringAnsibleAndDuringNpmCiStillEndsServingRestoredDataOverHttps() throws Exception {
    Process first = worker("worker-1");
    target.backUpProduction();
    String users = target.sourceUsers();
    RealStack.Run start = target.cli("recover", "server", "--target", "dr");
    assertEquals(0, start.exit(), start.out() + start.err());
    String id = "recover-server-dr";
    WorkflowClient client = stack.temporal().client();

    ServerTarget.awaitWaiting(client, id, "provision");
    assertEquals(0, target.cli("approve", id, "provision", "--by", "dana", "--value",
        ServerTarget.ADDRESS).exit());
    awaitRunning(client, id, "ServerRunPlaybook", first, "worker-1");
    kill(first);

    Process second = worker("worker-2");
    awaitRunning(client, id, "InstallDependencies", second, "worker-2");
    kill(second);

    worker("worker-3");
    ServerTarget.awaitWaiting(client, id, "dns");
    target.pointDns();
    assertEquals(0, target.cli("approve", id, "dns", "--by", "dana", "--value",
        ServerTarget.ADDRESS).exit());
    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);

    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    assertTrue(target.https("/api/stats").contains("\"users\":" + users));
    Map<String, Integer> attempts = lastAttempts(client, id);
    assertTrue(attempts.getOrDefault("ServerRunPlaybook", 0) >= 2, attempts.toString());
    assertTrue(attempts.getOrDefault("InstallDependencies", 0) >= 2, attempts.toString());
    // One release swapped in, once: current/ and no staging leftovers.
    try (var names = Files.list(target.root.resolve("app/farmtally"))) {
      List<String> n = names.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(n.contains("current"), n.toString());
      assertTrue(n.stream().noneMatch(s -> s.startsWith(".rollback-") || s.startsWith("replaced-")),
          n.toString());
    }
  }

  private static Map<String, Integer> lastAttempts(WorkflowClient client, String id) {
    Map<Long, String> scheduled = new HashMap<>();
    Map<String, Integer> attempts = new HashMap<>();
    for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        scheduled.put(e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      }
      if (e.hasActivityTaskStartedEventAttributes()) {
        var a = e.getActivityTaskStartedEventAttributes();
        attempts.merge(scheduled.get(a.getScheduledEventId()), a.getAttempt(), Math::max);
      }
    }
    return attempts;
  }

  private void awaitRunning(WorkflowClient client, String id, String activity, Process worker,
      String name) throws Exception {
    for (int i = 0; i < 6000; i++) {
      assertTrue(worker.isAlive(), () -> name + " exited early: " + log(name));
      var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
      for (PendingActivityInfo a : desc.getPendingActivitiesList()) {
        if (a.getActivityType().getName().equals(activity)
            && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          Thread.sleep(1500); // well inside the tool's run: ansible ~8 s, the postinstall 10 s
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(activity + " never ran; " + name + " log:\n" + log(name));
  }

  private static void kill(Process p) throws Exception {
    p.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  private String log(String name) {
    try {
      return Files.readString(stack.dir.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
