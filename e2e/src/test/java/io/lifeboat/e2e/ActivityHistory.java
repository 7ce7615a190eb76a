package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.host.ActivityPlacement;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who ran what, read from a run's history (issue 17): each completed activity's type, the
 * identity of the worker that completed it and the task queue it was scheduled on, checked
 * against {@link ActivityPlacement}.
 */
final class ActivityHistory {
  private ActivityHistory() {}

  /** One completed activity: Temporal's type name, the completing identity, the queue. */
  record Ran(String type, String identity, String queue) {}

  /** Each completed activity of the run, in history order. */
  static List<Ran> whoRanWhat(WorkflowClient client, String workflowId) {
    Map<Long, String[]> scheduled = new HashMap<>();
    List<Ran> ran = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        var a = e.getActivityTaskScheduledEventAttributes();
        scheduled.put(e.getEventId(), new String[] {a.getActivityType().getName(),
            a.getTaskQueue().getName()});
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        var a = e.getActivityTaskCompletedEventAttributes();
        String[] s = scheduled.get(a.getScheduledEventId());
        ran.add(new Ran(s[0], a.getIdentity(), s[1]));
      }
    }
    return ran;
  }

  /** Activity type → the identities of the workers that completed it, in history order. */
  static Map<String, List<String>> whoRan(WorkflowClient client, String workflowId) {
    Map<String, List<String>> ran = new HashMap<>();
    for (Ran r : whoRanWhat(client, workflowId)) {
      ran.computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r.identity());
    }
    return ran;
  }

  /** Activity type (Temporal's name, with the interface's prefix) → where it runs. */
  static Map<String, ActivityPlacement.Where> placements() {
    Map<String, ActivityPlacement.Where> m = new HashMap<>();
    for (Class<?> type : ActivityPlacement.interfaces()) {
      for (var method : POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata()) {
        m.put(method.getActivityTypeName(),
            ActivityPlacement.where(type, method.getMethod().getName()));
      }
    }
    return m;
  }

  /** Temporal's type name of {@code SimpleInterfaceName.method}. */
  static String typeName(String simpleName, String method) {
    for (Class<?> type : ActivityPlacement.interfaces()) {
      if (!type.getSimpleName().equals(simpleName)) continue;
      for (var m : POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata()) {
        if (m.getMethod().getName().equals(method)) return m.getActivityTypeName();
      }
    }
    throw new AssertionError("no activity " + simpleName + "." + method);
  }

  /** What {@link #assertPlaced} saw: the host-bound types and the anywhere types. */
  record Placed(TreeSet<String> onAgent, TreeSet<String> onControl) {}

  /**
   * Every completed activity of the run ran where ActivityPlacement says: HOST_BOUND ones
   * completed by {@code agentIdentity} on {@code hostQueue}, the rest by a worker that is no
   * agent, on {@code controlQueue} or its bulk queue.
   */
  static Placed assertPlaced(WorkflowClient client, String workflowId, String agentIdentity,
      String hostQueue, String controlQueue) {
    Map<String, ActivityPlacement.Where> placement = placements();
    TreeSet<String> onAgent = new TreeSet<>();
    TreeSet<String> onControl = new TreeSet<>();
    for (Ran r : whoRanWhat(client, workflowId)) {
      ActivityPlacement.Where where = placement.get(r.type());
      assertNotNull(where, r.type() + " is not in ActivityPlacement");
      if (where == ActivityPlacement.Where.HOST_BOUND) {
        assertEquals(agentIdentity, r.identity(), workflowId + ": " + r.type());
        assertEquals(hostQueue, r.queue(), workflowId + ": " + r.type());
        onAgent.add(r.type());
      } else {
        assertFalse(r.identity().startsWith("agent@"), workflowId + ": " + r.type()
            + " ran on " + r.identity());
        // the control worker's queue, or its bulk queue (issue 21: dumps, verifications)
        assertTrue(r.queue().equals(controlQueue)
            || r.queue().equals(io.lifeboat.run.BulkQueue.of(controlQueue)),
            workflowId + ": " + r.type() + " on " + r.queue());
        onControl.add(r.type());
      }
    }
    return new Placed(onAgent, onControl);
  }

  /**
   * The workflow id a CLI start printed: "started ... of X: ID", or with --wait the first
   * line's "(ID)" ("backing up X (ID)", "base backup of X (ID)").
   */
  static String startedId(String cliOut) {
    var m = java.util.regex.Pattern.compile("(?m)^started [^\\n]*?: (\\S+)$").matcher(cliOut);
    if (m.find()) return m.group(1);
    var w = java.util.regex.Pattern.compile("^[^\\n]*\\((\\S+)\\)[ \\t]*$",
        java.util.regex.Pattern.MULTILINE).matcher(cliOut);
    if (w.find()) return w.group(1);
    throw new AssertionError("no workflow id in: " + cliOut);
  }
}
