package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.rollback.RollbackResult;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepTiming;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17: `rollback app` of an application on host app1, with two real worker JVMs on this
 * machine (a control worker on the test's queue, app1's agent on its own). Started before the
 * agent, the rollback waits visibly (LifeboatWaitingStep=agent:app1) and does nothing; once the
 * agent starts, every rollback step (identify, stage, npm ci, pm2 stop, swap, pm2 start,
 * health) runs on the agent, `agent@app1/PID` in the history, and the app is healthy on r1.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AppRollbackOnAgentEndToEndTest {
  private static final List<String> ROLLBACK_STEPS = List.of("Identify", "StageRelease",
      "InstallDependencies", "StopApp", "SwapRelease", "StartApp", "VerifyHealth");

  private RealStack stack;
  private SampleApp app;
  private WorkerJvm workers;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of(), "farmtally-" + stack.tag);
    app.start();
    workers = new WorkerJvm(stack.dir);
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("rollback-on-agent", root -> {
      root.putObject("metrics").put("port", metricsPort);
      ObjectNode app1 = root.putArray("hosts").addObject();
      app1.put("name", "app1").put("address", "127.0.0.1");
      app1.putArray("roles").add("application");
      app.addTo(root);
      ((ObjectNode) root.withArray("applications").get(0)).put("host", "app1");
    });
    workers.start(config, stack.taskQueue, "control", SampleApp.workerEnv());
  }

  @AfterEach
  void down() throws Exception {
    try {
      workers.close();
    } finally {
      try {
        if (app != null) app.close();
      } finally {
        stack.close();
      }
    }
  }

  /** Each completed activity: its type, the identity that completed it, the queue it was on. */
  private static List<String[]> whoRanWhat(WorkflowClient client, String workflowId) {
    Map<Long, String[]> scheduled = new java.util.HashMap<>();
    List<String[]> ran = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        var a = e.getActivityTaskScheduledEventAttributes();
        scheduled.put(e.getEventId(), new String[] {a.getActivityType().getName(),
            a.getTaskQueue().getName()});
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        var a = e.getActivityTaskCompletedEventAttributes();
        String[] s = scheduled.get(a.getScheduledEventId());
        ran.add(new String[] {s[0], a.getIdentity(), s[1]});
      }
    }
    return ran;
  }

  @Test
  void theRollbackWaitsForApp1sAgentThenRunsEveryStepOnIt() throws Exception {
    String before = app.revision();
    app.corrupt();
    RealStack.Run start = stack.cli("rollback", "app", app.name, "--config", config.toString());
    assertEquals(0, start.exit(), start.out() + start.err());
    String workflowId = io.lifeboat.rollback.ApplicationRollbackWorkflow.workflowId(
        stack.base.estate(), app.name);
    WorkflowStub stub = stack.temporal().client().newUntypedWorkflowStub(workflowId);
    String waiting = null;
    for (int i = 0; i < 360 && waiting == null; i++) {
      waiting = stub.describe().getTypedSearchAttributes()
          .get(LifeboatSearchAttributes.WAITING_STEP);
      if (waiting == null) Thread.sleep(500);
    }
    assertEquals("agent:app1", waiting, "control:\n" + workers.log("control"));
    assertNull(WorkerJvm.closed(stack.temporal().client(), workflowId), "still running");
    Thread.sleep(3_000);
    assertEquals(before, app.revision(), "nothing ran on the control worker meanwhile");
    for (String[] r : whoRanWhat(stack.temporal().client(), workflowId)) {
      assertFalse(ROLLBACK_STEPS.contains(r[0]), r[0] + " ran before app1's agent started");
    }

    Process agent = workers.startAgent(config, stack.taskQueue, "app1", "agent-app1",
        SampleApp.workerEnv());
    RollbackResult r = stub.getResult(5, TimeUnit.MINUTES, RollbackResult.class);
    assertEquals(200, app.status("/api/health"), workers.log("agent-app1"));
    assertEquals("r1", app.revision());
    assertNull(stub.describe().getTypedSearchAttributes()
        .get(LifeboatSearchAttributes.WAITING_STEP), "no longer listed as waiting");

    String identity = "agent@app1/" + agent.pid();
    String hostQueue = stack.taskQueue + "-host-app1";
    Set<String> onAgent = new HashSet<>();
    Set<String> control = new HashSet<>();
    for (String[] ran : whoRanWhat(stack.temporal().client(), workflowId)) {
      if (ROLLBACK_STEPS.contains(ran[0])) {
        assertEquals(identity, ran[1], ran[0] + " ran on " + ran[1]);
        assertEquals(hostQueue, ran[2], ran[0]);
        onAgent.add(ran[0]);
      } else {
        assertFalse(ran[1].startsWith("agent@"), ran[0] + " ran on " + ran[1]);
        assertEquals(stack.taskQueue, ran[2], ran[0]);
        control.add(ran[0]);
      }
    }
    assertEquals(new HashSet<>(ROLLBACK_STEPS), onAgent);
    assertTrue(control.contains("ActivityPollers") && control.contains("StoreReport"),
        control.toString());
    // The result names the host and the agent of every step.
    for (StepTiming s : r.steps()) {
      assertEquals("app1", s.host(), s.toString());
      assertTrue(s.agent() != null && s.agent().contains(identity), s.toString());
    }
  }
}
