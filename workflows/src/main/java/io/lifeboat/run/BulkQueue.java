package io.lifeboat.run;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bulk task queue (issue 21): the long streaming steps of dumps and verifications go to
 * {@code <queue>-bulk}, which the same worker process serves with a Worker of its own and its
 * own slot limit ({@code worker.bulkActivitySlots}), so 200 dumps at once wait for those slots
 * while the WAL shipper, a recovery and every quick step keep the main queue's.
 *
 * <p>Which queue a run uses is decided once per run: behind
 * {@code Workflow.getVersion("bulk-queue")} (a run recorded before it replays on its own queue)
 * and recorded as a side effect, so a replay on any worker schedules what the history holds.
 * A worker announces the bulk queue it serves with {@link #serve}; a process where nothing
 * does (a unit test's plain TestWorkflowEnvironment) keeps every step on the workflow's queue.
 */
public final class BulkQueue {
  public static final String CHANGE_ID = "bulk-queue";
  public static final String SUFFIX = "-bulk";

  /** main queue -> its bulk queue, as the workers of this process serve them. */
  private static final Map<String, String> SERVED = new ConcurrentHashMap<>();

  /** This run's decision: {@code ""} for the workflow's own queue. */
  private static final WorkflowLocal<String[]> DECIDED =
      WorkflowLocal.withCachedInitial(() -> new String[1]);

  private BulkQueue() {}

  /** The bulk queue of {@code mainQueue}: the one place its name is made. */
  public static String of(String mainQueue) {
    return mainQueue + SUFFIX;
  }

  /** A worker of this process serves {@link #of}(mainQueue) (LifeboatWorker, tests). */
  public static void serve(String mainQueue) {
    SERVED.put(mainQueue, of(mainQueue));
  }

  /** That worker stopped. */
  public static void withdraw(String mainQueue) {
    SERVED.remove(mainQueue);
  }

  /**
   * From inside a workflow: the task queue for this run's bulk steps, or null for the
   * workflow's own queue.
   */
  public static String forThisRun() {
    String[] decided = DECIDED.get();
    if (decided[0] == null) {
      if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        decided[0] = "";
      } else {
        String queue = Workflow.getInfo().getTaskQueue();
        decided[0] = Workflow.sideEffect(String.class, () -> SERVED.getOrDefault(queue, ""));
      }
    }
    return decided[0].isEmpty() ? null : decided[0];
  }
}
