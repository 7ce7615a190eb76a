package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * What every backup workflow does when its run fails or is cancelled before the manifest (the
 * commit mark) is written: the step ledger ends "failed" or "cancelled", and, in a scope the
 * cancel cannot reach, the web UI's outcome becomes failed, the leftovers are discarded and
 * (where the caller passes one) the failure is announced. One place, so the four backup kinds
 * cannot drift apart.
 *
 * <p>The commands it records are, in order: one search-attribute upsert, the discard activity,
 * then whatever {@code announce} schedules. Recorded histories depend on that order (the replay
 * tests under histories/ hold backups that failed), so it must not change.
 */
public final class FailedBackup {
  private FailedBackup() {}

  /** Removes what a failed run left in the repository; may throw ActivityFailure. */
  @FunctionalInterface
  public interface Discard {
    void run();
  }

  /**
   * Records the end of a failed run; the caller rethrows {@code e} afterwards.
   *
   * @param what names the run in the log line when the discard itself fails
   * @param announce runs last inside the detached scope, only when the run was not cancelled
   *     by an operator (a cancel is their own decision: nobody needs telling); null for none
   */
  public static void close(StepRecorder steps, TemporalFailure e, String what, Discard discard,
      Runnable announce, Logger log) {
    steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
    Workflow.newDetachedCancellationScope(() -> {
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      try {
        discard.run();
      } catch (ActivityFailure cleanup) {
        // No manifest was written, so nothing half-done can be taken for a backup; retention
        // removes an orphaned object later. Say so rather than mask the original failure.
        log.warn("could not remove leftovers of {}: {}", what, cleanup.getMessage());
      }
      if (announce != null && !cancelled(e)) announce.run();
    }).run();
  }

  /** A cancel reaches the workflow as itself, or as the cancelled activity it interrupted. */
  public static boolean cancelled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) return true;
    }
    return false;
  }
}
