package io.lifeboat.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import org.junit.jupiter.api.Test;

/** The sentence a person reads: what failed, through Temporal's wrappers. */
class FailureMessageTest {
  private static ActivityFailure activity(Throwable cause) {
    return new ActivityFailure("Activity task failed", 5, 6, "Restore", "7",
        RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, "worker", cause);
  }

  @Test
  void anActivitysFailureSaysWhatTheActivitySaid() {
    assertEquals("pg_restore: no such table",
        FailureMessage.of(activity(FailureKind.RECOVERY_FAILED.failure("pg_restore: no such table"))));
  }

  @Test
  void aChildWorkflowsFailureSaysWhatFailedInside() {
    ChildWorkflowFailure child = new ChildWorkflowFailure(1, 2, "DatabaseRecoveryWorkflow",
        WorkflowExecution.newBuilder().setWorkflowId("recover-orders").build(), "default",
        RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
        activity(ApplicationFailure.newFailure("disk full", "IO")));
    assertEquals("disk full", FailureMessage.of(child));
  }

  @Test
  void otherFailuresSayTheirOwnMessage() {
    assertEquals("workflow cancelled", FailureMessage.of(new CanceledFailure("workflow cancelled")));
    assertEquals("no address", FailureMessage.of(ApplicationFailure.newFailure("no address", "X")));
    assertEquals("java.lang.IllegalStateException: odd",
        FailureMessage.of(new IllegalStateException("odd")));
  }
}
