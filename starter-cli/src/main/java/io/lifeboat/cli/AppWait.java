package io.lifeboat.cli;

import io.lifeboat.workflows.common.FailureKind;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Waits for an application workflow, printing a line whenever its step changes. */
final class AppWait {
  private AppWait() {}

  static <R> R await(WorkflowClient client, String workflowId, Class<R> resultType,
      PrintWriter out, boolean show, String what, Function<WorkflowStub, String> progressLine) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    String last = "";
    while (true) {
      try {
        return stub.getResult(1, TimeUnit.SECONDS, resultType);
      } catch (TimeoutException stillRunning) {
        if (!show) continue;
        try {
          String line = CompletableFuture.supplyAsync(() -> progressLine.apply(stub))
              .get(3, TimeUnit.SECONDS);
          if (line != null && !line.equals(last)) {
            out.println("  " + line);
            last = line;
          }
        } catch (Exception noAnswer) {
          // no worker answering queries right now (e.g. it is restarting): ask again later
        }
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(explain(what, e));
      } catch (RuntimeException e) {
        if (!busy(e)) throw e;
        // "Workflow is busy": the server sheds load on this workflow for a moment; ask again.
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean busy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException sre
          && sre.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  static String explain(String what, WorkflowFailedException e) {
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
}
