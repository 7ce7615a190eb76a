package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17's routing foundation with two real worker JVMs on this machine: a control worker on
 * the test's task queue and the agent of host app1. `backup config` with configuration.host:
 * app1 archives through the agent (its identity in the history), everything else runs on the
 * control worker; without the agent the workflow waits, visibly (LifeboatWaitingStep=agent:app1),
 * and finishes once the agent starts.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class MultiHostEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private WorkerJvm workers;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    Path etc = stack.dir.resolve("etc");
    Files.createDirectories(etc.resolve("nginx"));
    Files.writeString(etc.resolve("nginx/nginx.conf"), "events {}\nhttp {}\n");
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("hosts", root -> {
      root.putObject("metrics").put("port", metricsPort);
      ObjectNode app1 = root.putArray("hosts").addObject();
      app1.put("name", "app1").put("address", "127.0.0.1");
      app1.putArray("roles").add("application");
      ObjectNode c = root.putObject("configuration");
      c.put("nginxDir", etc.resolve("nginx").toString());
      c.putArray("files").add(etc.resolve("hosts").toString());
      c.put("host", "app1");
    });
    workers.start(config, stack.taskQueue, "control", Map.of());
  }

  @AfterEach
  void down() throws Exception {
    try {
      workers.close();
    } finally {
      stack.close();
    }
  }

  private String hostQueue() {
    return stack.taskQueue + "-host-app1";
  }

  /** Activity type → the identity of the worker that completed it, and the queue it was sent to. */
  private static Map<String, String[]> whoRanWhat(WorkflowClient client, String workflowId) {
    Map<Long, String[]> scheduled = new HashMap<>();
    Map<String, String[]> ran = new HashMap<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        var a = e.getActivityTaskScheduledEventAttributes();
        scheduled.put(e.getEventId(), new String[] {a.getActivityType().getName(),
            a.getTaskQueue().getName()});
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        var a = e.getActivityTaskCompletedEventAttributes();
        String[] s = scheduled.get(a.getScheduledEventId());
        ran.put(s[0], new String[] {a.getIdentity(), s[1]});
      }
    }
    return ran;
  }

  @Test
  void theArchiveRunsOnTheAgentAndTheRestOnTheControlWorker() throws Exception {
    workers.startAgent(config, stack.taskQueue, "app1", "agent-app1", Map.of());
    RealStack.Run run = stack.cli("backup", "config", "--wait", "--json", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.err() + "\ncontrol:\n" + workers.log("control")
        + "\nagent:\n" + workers.log("agent-app1"));
    String workflowId = JSON.readTree(run.out()).path("manifest").path("workflowId").asText();
    assertFalse(workflowId.isEmpty(), run.out());

    Map<String, String[]> ran = whoRanWhat(stack.temporal().client(), workflowId);
    String[] archive = ran.get("ArchiveToRepository");
    assertTrue(archive[0].startsWith("agent@app1/"), "archived by " + archive[0]);
    assertEquals(hostQueue(), archive[1]);
    Set<String> control = new HashSet<>();
    for (String type : new String[] {"ActivityPollers", "VerifyStoredArchive",
        "CommitArtifactManifest", "KeepNewest"}) {
      String[] r = ran.get(type);
      assertTrue(r != null, type + " ran: " + ran.keySet());
      assertFalse(r[0].startsWith("agent@"), type + " ran on " + r[0]);
      assertEquals(stack.taskQueue, r[1], type);
      control.add(r[0]);
    }
    assertEquals(1, control.size(), "one control worker ran the rest: " + control);
  }

  @Test
  void withoutTheAgentTheBackupWaitsVisiblyAndGoesOnWhenItStarts() throws Exception {
    RealStack.Run start = stack.cli("backup", "config", "--config", config.toString());
    assertEquals(0, start.exit(), start.err());
    String workflowId = start.out().replaceAll("(?s).*started configuration backup: (\\S+).*",
        "$1");
    WorkflowStub stub = stack.temporal().client().newUntypedWorkflowStub(workflowId);
    String waiting = null;
    for (int i = 0; i < 360 && waiting == null; i++) {
      waiting = stub.describe().getTypedSearchAttributes()
          .get(LifeboatSearchAttributes.WAITING_STEP);
      if (waiting == null) Thread.sleep(500);
    }
    assertEquals("agent:app1", waiting, "control:\n" + workers.log("control"));
    assertNull(WorkerJvm.closed(stack.temporal().client(), workflowId), "still running");
    RealStack.Run listed = stack.cli("waiting", "--config", config.toString());
    assertTrue(listed.out().contains(workflowId) && listed.out().contains("agent:app1")
        && listed.out().contains("lifeboat agent --host app1"), listed.out());

    workers.startAgent(config, stack.taskQueue, "app1", "agent-app1", Map.of());
    ArtifactBackupResult r = stub.getResult(3, TimeUnit.MINUTES, ArtifactBackupResult.class);
    assertEquals("config", r.manifest().kind());
    var d = stub.describe();
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, d.getStatus());
    assertNull(d.getTypedSearchAttributes().get(LifeboatSearchAttributes.WAITING_STEP),
        "no longer listed as waiting");
    assertTrue(whoRanWhat(stack.temporal().client(), workflowId).get("ArchiveToRepository")[0]
        .startsWith("agent@app1/"));
  }
}
