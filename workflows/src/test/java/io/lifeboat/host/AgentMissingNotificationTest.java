package io.lifeboat.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 17: a run that starts to wait for a host's agent says so once to the channels. */
class AgentMissingNotificationTest {
  private static final String MAIN = TaskQueues.DEFAULT;

  @WorkflowInterface
  public interface AwaitAgent {
    @WorkflowMethod
    List<String> await(String host, NotificationTarget notify);
  }

  public static class AwaitAgentImpl implements AwaitAgent {
    @Override
    public List<String> await(String host, NotificationTarget notify) {
      return HostRouting.awaitAgent(host, new RetryConfig(2, 1, 1), notify);
    }
  }

  private TestWorkflowEnvironment env;
  private final List<Delivery> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger checks = new AtomicInteger();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  private List<String> run(int missing, NotificationTarget notify) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T04:00:00Z"));
    var w = env.newWorker(MAIN);
    w.registerWorkflowImplementationTypes(AwaitAgentImpl.class);
    w.registerActivitiesImplementations(
        (AgentActivities) queue -> checks.incrementAndGet() <= missing ? List.of()
            : List.of("agent@app1/1"),
        (NotificationActivities) sent::add);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(AwaitAgent.class,
        WorkflowOptions.newBuilder().setWorkflowId("await-agent").setTaskQueue(MAIN).build())
        .await("app1", notify);
  }

  private static NotificationTarget webhook() {
    return NotificationTarget.of(new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"),
        null), "http://ui", "default");
  }

  @Test
  void aMissingAgentIsNotifiedOnceAsTheWaitBegins() {
    assertEquals(List.of("agent@app1/1"), run(4, webhook()));
    assertEquals(1, sent.size(), sent.toString());
    Notification n = sent.get(0).notification();
    assertEquals(Notification.EVENT_AGENT_MISSING, n.event());
    assertTrue(n.subject().contains("waits for the agent of host app1"), n.subject());
    assertEquals(MAIN + "-host-app1", n.details().get("task queue"));
    assertEquals("agent:app1", n.details().get("waiting step"));
  }

  @Test
  void anAgentThatPollsAlreadyIsNotNews() {
    run(0, webhook());
    assertEquals(List.of(), sent);
  }

  @Test
  void withoutChannelsNothingIsSent() {
    run(2, NotificationTarget.NONE);
    assertEquals(List.of(), sent);
  }
}
