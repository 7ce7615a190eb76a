package io.lifeboat.host;

import static io.lifeboat.run.LifeboatSearchAttributes.WAITING_STEP;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.host.TaskQueues;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * Workflow-side routing of host-bound work (issue 17): which queue a host's activities go to,
 * and the wait for its agent. A source without a host (the one-machine estate) stays on the
 * workflow's own queue and never asks for an agent, so its commands are the ones of before.
 */
public final class HostRouting {
  private static final Logger log = Workflow.getLogger(HostRouting.class);

  /** How often a workflow asks again for a missing agent: 10 s, after 5 minutes every 60 s. */
  static final Duration FIRST_POLL = Duration.ofSeconds(10);
  static final Duration LATER_POLL = Duration.ofSeconds(60);
  static final int FAST_POLLS = 30;

  private HostRouting() {}

  /** The queue host-bound activities of a source on {@code host} go to; null when no host. */
  public static String queueFor(String host) {
    return host == null ? null : TaskQueues.forHost(Workflow.getInfo().getTaskQueue(), host);
  }

  /** Behind it: a run that starts to wait for an agent notifies the estate's channels. */
  public static final String NOTIFY_CHANGE_ID = "notify-agent-missing";

  /** The value of LifeboatWaitingStep while a workflow waits for this host's agent. */
  public static String waitingStep(String host) {
    return "agent:" + host;
  }

  /**
   * Returns once an agent polls {@code host}'s queue (at once when one does). Meanwhile the
   * workflow shows {@code LifeboatWaitingStep=agent:HOST}, so a missing agent is visible in
   * {@code lifeboat waiting} and the web UI instead of a task that silently never starts.
   *
   * @return the identities of the agents that poll the queue
   */
  public static List<String> awaitAgent(String host, RetryConfig retry) {
    return awaitAgent(host, retry, NotificationTarget.NONE);
  }

  /**
   * As {@link #awaitAgent(String, RetryConfig)}; when the agent is missing, also sends one
   * notification ({@code agent-missing}) to {@code notify}'s channels as the wait begins.
   */
  public static List<String> awaitAgent(String host, RetryConfig retry,
      NotificationTarget notify) {
    String queue = queueFor(host);
    AgentActivities agents = ActivityStubs.of(AgentActivities.class, retry,
        Duration.ofSeconds(30), null);
    List<String> pollers = agents.activityPollers(queue);
    if (!pollers.isEmpty()) return pollers;
    log.warn("no agent polls {} (host {}): waiting for `lifeboat agent --host {}`", queue, host,
        host);
    Workflow.upsertTypedSearchAttributes(WAITING_STEP.valueSet(waitingStep(host)));
    if (notify != null && notify.channels().any()
        && Workflow.getVersion(NOTIFY_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1) {
      notifyMissing(host, queue, notify);
    }
    for (int polls = 0; pollers.isEmpty(); polls++) {
      Workflow.sleep(polls < FAST_POLLS ? FIRST_POLL : LATER_POLL);
      pollers = agents.activityPollers(queue);
    }
    Workflow.upsertTypedSearchAttributes(WAITING_STEP.valueUnset());
    log.info("agent for host {} is polling: {}", host, pollers);
    return pollers;
  }

  private static void notifyMissing(String host, String queue, NotificationTarget notify) {
    String id = Workflow.getInfo().getWorkflowId();
    java.util.Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("workflow", id);
    details.put("host", host);
    details.put("task queue", queue);
    details.put("waiting step", waitingStep(host));
    details.put("start it with", "systemctl start lifeboat-agent@" + host + " (or lifeboat agent"
        + " --host " + host + ") on " + host);
    Notifier.send(notify, new Notification(Notification.EVENT_AGENT_MISSING,
        id + " waits for the agent of host " + host,
        "no agent polls " + queue + ": the run waits (LifeboatWaitingStep=" + waitingStep(host)
            + ") and goes on by itself once the agent of " + host + " starts",
        details, notify.link(id)));
  }
}
