package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.rollback.RollbackResult;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private WorkerJvm workers;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    // Its own application name, so rollback-app-ESTATE-NAME is not another suite's on the shared
    // stack (the suites share the example's estate).
    app = new SampleApp(stack, Map.of(), "farmtally-" + stack.tag);
  }

  @AfterEach
  void down() throws Exception {
    workers.close();
    if (app != null) app.close();
    stack.close();
  }

  private Process worker(Path config, String name) throws Exception {
    return workers.start(config, stack.taskQueue, name, SampleApp.workerEnv());
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
    app = new SampleApp(stack, Map.of("STARTUP_DELAY_MS", "8000"), "farmtally-" + stack.tag);
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
    String workflowId = "rollback-app-" + stack.base.estate() + "-" + app.name; // names the estate
    WorkflowClient client = stack.temporal().client();

    boolean running = false;
    for (int i = 0; i < 600 && !running; i++) {
      assertTrue(first.isAlive(), () -> "worker-1 exited early: " + workers.log("worker-1"));
      running = WorkerJvm.pending(client, workflowId).stream()
          .anyMatch(a -> a.getActivityType().getName().equals(activity));
      if (!running) Thread.sleep(100);
    }
    assertTrue(running, () -> activity + " under way before the kill; worker-1 log:\n"
        + workers.log("worker-1"));
    Thread.sleep(1500); // the step is in the middle of its work now
    WorkerJvm.kill(first); // SIGKILL: no shutdown hook, the activity just vanishes
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
}
