package io.lifeboat.failure;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;

/** The sentence a person should read from a failure a workflow caught. */
public final class FailureMessage {
  private FailureMessage() {}

  /**
   * Through the wrappers Temporal puts around a failure (an activity's, a child workflow's) to
   * what failed, and its own message: {@code "pg_restore: ..."}, not "Activity task failed".
   */
  public static String of(Throwable e) {
    Throwable t = e;
    while ((t instanceof ActivityFailure || t instanceof ChildWorkflowFailure)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(t);
  }
}
