package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
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
 * Issue 17, one agent per host: real `lifeboat agent --host app1` processes against the shared
 * Temporal, on this test's queue. A second agent for app1 refuses in one line with exit 2 and
 * never polls, whether the first runs on this machine (its record says so: refused at once) or,
 * as far as the second can tell, on another (no record: refused once the first is seen polling
 * again). An agent restarted after the first was SIGKILLed starts at once, although Temporal
 * still lists the killed one's poller.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AgentPerHostEndToEndTest {
  private RealStack stack;
  private WorkerJvm workers;
  private Path config;
  private Path records;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    records = stack.dir.resolve("agents");
    config = stack.config("agent-per-host", root -> {
      ObjectNode app1 = root.putArray("hosts").addObject();
      app1.put("name", "app1").put("address", "127.0.0.1");
      app1.putArray("roles").add("application");
    });
  }

  @AfterEach
  void down() throws Exception {
    try {
      for (Process p : started) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      workers.close();
    } finally {
      stack.close();
    }
  }

  private String queue() {
    return stack.taskQueue + "-host-app1";
  }

  /**
   * `lifeboat agent --host app1` (the CLI's main), stdout and stderr in files of their own; its
   * log goes to stderr at {@code logLevel} (the CLI's default, ERROR, leaves only its own line).
   */
  private Process agent(String name, Path recordDir, String logLevel) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "io.lifeboat.cli.LifeboatCli", "agent", "--host",
        "app1", "--config", config.toString(), "--task-queue", stack.taskQueue)
        .redirectOutput(stack.dir.resolve(name + ".out").toFile())
        .redirectError(stack.dir.resolve(name + ".err").toFile());
    pb.environment().put("LIFEBOAT_AGENT_RUN_DIR", recordDir.toString());
    pb.environment().put("LIFEBOAT_LOG_LEVEL", logLevel);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private String out(String name) throws Exception {
    return Files.readString(stack.dir.resolve(name + ".out"));
  }

  private String err(String name) throws Exception {
    return Files.readString(stack.dir.resolve(name + ".err"));
  }

  private List<String> pollers() {
    var client = stack.temporal().client();
    var r = client.getWorkflowServiceStubs().blockingStub().describeTaskQueue(
        DescribeTaskQueueRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
            .setTaskQueue(TaskQueue.newBuilder().setName(queue()).build())
            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY).build());
    return r.getPollersList().stream().map(PollerInfo::getIdentity).toList();
  }

  private void awaitPolling(Process p, String name) throws Exception {
    String identity = "agent@app1/" + p.pid();
    for (int i = 0; i < 1200; i++) {
      if (pollers().contains(identity)) return;
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited " + p.exitValue() + ":\n" + out(name) + err(name));
      }
      Thread.sleep(100);
    }
    throw new AssertionError(identity + " never polled " + queue() + ": " + pollers() + "\n"
        + err(name));
  }

  /** Exit 2, one line on stderr with the phrase, no stack trace, never listed as a poller. */
  private void refused(Process p, String name, String phrase) throws Exception {
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), name + " still runs:\n" + err(name));
    String err = err(name).strip();
    assertEquals(2, p.exitValue(), err + "\n" + out(name));
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("lifeboat: host 'app1' already has an agent"), err);
    assertTrue(err.contains(phrase), err);
    assertFalse(err.contains("Exception") || out(name).contains("Exception"), err + out(name));
    assertFalse(pollers().contains("agent@app1/" + p.pid()), name + " polled: " + pollers());
  }

  @Test
  void aSecondAgentForOneHostRefusesAndARestartedOneStarts() throws Exception {
    Process first = agent("first", records, "INFO");
    awaitPolling(first, "first");
    String firstId = "agent@app1/" + first.pid();

    // Same machine: the first agent's record names a live process.
    Process second = agent("second", records, "ERROR");
    refused(second, "second", "on this machine: " + firstId);

    // Another machine, as far as this one can tell (no record): the first polls again within a
    // long poll, so it is alive.
    Process third = agent("third", stack.dir.resolve("elsewhere"), "ERROR");
    refused(third, "third", firstId + " polls " + queue());
    assertTrue(first.isAlive(), "the first agent was left alone");
    assertEquals(List.of(firstId), pollers(), "only the first polls");

    // A crash: the killed agent's poller stays listed, yet its restart starts at once.
    WorkerJvm.kill(first);
    assertTrue(pollers().contains(firstId), "Temporal still lists the killed agent");
    Process restarted = agent("restarted", records, "INFO");
    awaitPolling(restarted, "restarted");
    assertTrue(err("restarted").contains(firstId + " is still listed for " + queue()
        + " but its process is gone"), err("restarted"));
    assertTrue(restarted.isAlive());
  }
}
