package io.lifeboat.host;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Activity stubs that follow {@link ActivityPlacement} (issue 17): a method declared HOST_BOUND
 * goes to the host's agent queue, an ANYWHERE one stays on the workflow's own queue. The
 * workflows do not choose per call; the placement table does, so it is the one place that
 * says what runs where.
 *
 * <p>Before the first host-bound call the workflow waits for the host's agent
 * ({@link HostRouting#awaitAgent}, {@code LifeboatWaitingStep=agent:HOST}), and the step that
 * makes the call records the host and the agents that poll its queue ({@link StepRecorder}).
 *
 * <p>Without a host (the one-machine estate) the stubs are the plain ones of before: the same
 * commands, so every recorded history replays. With a host, routing is behind
 * {@code Workflow.getVersion("route-to-host")}: a run recorded before routing (its host-bound
 * steps ran on the control worker) replays as it ran.
 */
public final class HostPlacement {
  public static final String CHANGE_ID = "route-to-host";

  /**
   * The agents found per host in this run: several placements on one host (a recovery's
   * database and its application on the same machine) ask for its agent once.
   */
  private static final WorkflowLocal<Map<String, String>> SEEN =
      WorkflowLocal.withCachedInitial(HashMap::new);

  private final String host;
  private final RetryConfig retry;
  private final StepRecorder steps;
  private Boolean routed;
  private String agents;
  private NotificationTarget notify = NotificationTarget.NONE;

  /**
   * @param host the {@code hosts[].name} the host-bound steps run on; null: the workflow's queue
   * @param steps the recorder whose current step is marked with the host; may be null
   */
  public HostPlacement(String host, RetryConfig retry, StepRecorder steps) {
    this.host = host;
    this.retry = retry;
    this.steps = steps;
  }

  /** Where to say that the run waits for a missing agent (none by default). */
  public HostPlacement notifying(NotificationTarget target) {
    this.notify = target == null ? NotificationTarget.NONE : target;
    return this;
  }

  public String host() {
    return host;
  }

  /**
   * Waits for the host's agent now rather than at the first host-bound call (a recovery waits
   * for the agent its configure playbook just started); the agents' identities, or null
   * without a host or in a run recorded before routing.
   */
  public String awaitAgent() {
    return host != null && routed() ? agents : null;
  }

  /** A stub of {@code type}: host-bound methods to the host's queue, the rest to the workflow's. */
  @SuppressWarnings("unchecked")
  public <T> T stub(Class<T> type, Duration startToClose, Duration heartbeat) {
    T control = ActivityStubs.of(type, retry, startToClose, heartbeat);
    if (host == null) return control;
    T onHost = ActivityStubs.of(type, retry, startToClose, heartbeat, HostRouting.queueFor(host));
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) return objectMethod(proxy, method, args);
          Object target = control;
          if (ActivityPlacement.where(type, method.getName()) == ActivityPlacement.Where.HOST_BOUND
              && routed()) {
            target = onHost;
            if (steps != null) steps.ranOn(host, agents);
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /**
   * True when host-bound calls go to the host (decided once per run, at the first such call);
   * waits for the agent the first time.
   */
  private boolean routed() {
    if (routed == null) {
      routed = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
      if (routed) {
        Map<String, String> seen = SEEN.get();
        if (!seen.containsKey(host)) {
          List<String> pollers = HostRouting.awaitAgent(host, retry, notify);
          seen.put(host, pollers.isEmpty() ? null : String.join(", ", pollers));
        }
        agents = seen.get(host);
      }
    }
    return routed;
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return "HostPlacement[" + host + "]";
    }
  }
}
