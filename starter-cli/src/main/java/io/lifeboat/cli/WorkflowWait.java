package io.lifeboat.cli;

import io.lifeboat.backup.base.BaseStreamProgress;
import io.lifeboat.failure.FailureKind;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a workflow's result, printing the running activity (and its retries) when it
 * changes. A failed workflow becomes one {@link OperationFailed} line.
 */
public final class WorkflowWait {
  private WorkflowWait() {}

  public static <T> T await(WorkflowClient client, String workflowId, Class<T> type, PrintWriter out,
      boolean show, String what) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    long started = System.currentTimeMillis();
    String last = "";
    long lastPrinted = 0;
    ResultWatch<T> result = new ResultWatch<>(stub, type);
    while (true) {
      try {
        if (result.closedWithin(show ? 1 : 30, TimeUnit.SECONDS)) return result.value();
        if (!show) continue;
        try {
          String line = describe(client, workflowId);
          // the byte counts change every tick: print when the step changes, or every 5 s
          boolean newStep = !line.replaceAll(":.*", "").equals(last.replaceAll(":.*", ""));
          if (newStep || System.currentTimeMillis() - lastPrinted > 5000) {
            lastPrinted = System.currentTimeMillis();
            out.printf("  [%s] %s%n", Bytes.duration(System.currentTimeMillis() - started), line);
            out.flush();
            last = line;
          }
        } catch (io.grpc.StatusRuntimeException busy) {
          // the server may refuse a describe while the workflow is busy: skip this tick
        }
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(explain(what, e));
      } catch (RuntimeException e) {
        pauseIfBusy(e);
      }
    }
  }

  /**
   * "Workflow is busy" (RESOURCE_EXHAUSTED): the server sheds load on one workflow for a moment
   * (an approval and a long poll at once); every waiter asks again after a pause rather than
   * give up on a run that is fine. Anything else is rethrown.
   */
  public static void pauseIfBusy(RuntimeException e) {
    if (!isBusy(e)) throw e;
    try {
      Thread.sleep(250);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private static boolean isBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException sre
          && sre.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  /** A failed run in one line: "WHAT failed: MESSAGE (HINT)", the hint from FailureKind. */
  public static String explain(String what, WorkflowFailedException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        String hint = FailureKind.ofType(a.getType()).map(k -> " (" + k.hint() + ")").orElse("");
        return what + " failed: " + a.getOriginalMessage() + hint;
      }
    }
    Throwable c = e.getCause();
    return what + " failed: " + (c instanceof TemporalFailure tf ? tf.getOriginalMessage()
        : String.valueOf(c));
  }

  private static String describe(WorkflowClient client, String workflowId) {
    var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
    String step = "waiting for the worker";
    String retry = "";
    for (PendingActivityInfo a : desc.getPendingActivitiesList()) {
      step = a.getActivityType().getName();
      if (a.hasHeartbeatDetails() && step.equals("StreamAndVerify")) {
        try {
          BaseStreamProgress p = client.getOptions().getDataConverter().fromPayloads(0,
              java.util.Optional.of(a.getHeartbeatDetails()), BaseStreamProgress.class,
              BaseStreamProgress.class);
          if (p != null) {
            step += " " + p.phase() + ": " + Bytes.human(p.rawBytes()) + " streamed, "
                + Bytes.human(p.storedBytes()) + " stored";
          }
        } catch (RuntimeException notOurs) {
          // details of another shape: the step name alone
        }
      }
      if (a.getAttempt() > 1 && a.hasLastFailure()) {
        retry = " (attempt " + a.getAttempt() + ", last: " + a.getLastFailure().getMessage() + ")";
      }
    }
    return step + retry;
  }
}
