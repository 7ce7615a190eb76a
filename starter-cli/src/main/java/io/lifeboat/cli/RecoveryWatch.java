package io.lifeboat.cli;

import io.lifeboat.workflows.common.FailureKind;
import io.lifeboat.workflows.recover.RecoveryProgress;
import io.lifeboat.workflows.recover.RecoveryResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a recovery, printing each step as it starts and the time used against the RTO. */
final class RecoveryWatch {
  private final WorkflowClient client;
  private final String workflowId;
  private final PrintWriter out;
  private final boolean show;
  private String lastStep = "";

  RecoveryWatch(WorkflowClient client, String workflowId, PrintWriter out, boolean show) {
    this.client = client;
    this.workflowId = workflowId;
    this.out = out;
    this.show = show;
  }

  RecoveryResult await() {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    while (true) {
      try {
        return stub.getResult(2, TimeUnit.SECONDS, RecoveryResult.class);
      } catch (TimeoutException stillRunning) {
        if (show) render(stub);
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(explain(e));
      } catch (RuntimeException e) {
        if (!isBusy(e)) throw e;
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

  static boolean isBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException sre
          && sre.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
        return true;
      }
    }
    return false;
  }

  private void render(WorkflowStub stub) {
    try {
      RecoveryProgress p = CompletableFuture.supplyAsync(
          () -> stub.query("progress", RecoveryProgress.class)).get(3, TimeUnit.SECONDS);
      if (!p.step().equals(lastStep)) {
        out.printf("  [%s of %s, %s] %s%n", Bytes.duration(p.elapsedMillis()),
            Bytes.duration(p.rtoTargetMillis()), p.rtoStatus(), p.step());
        out.flush();
        lastStep = p.step();
      }
    } catch (Exception ignored) {
      // no worker answering queries at the moment (e.g. it was restarted): try next tick
    }
  }

  static String explain(WorkflowFailedException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        String hint = FailureKind.ofType(a.getType()).map(k -> " (" + k.hint() + ")").orElse("");
        return "recovery failed: " + a.getOriginalMessage() + hint;
      }
    }
    Throwable c = e.getCause();
    return "recovery failed: " + (c instanceof TemporalFailure tf ? tf.getOriginalMessage()
        : String.valueOf(c));
  }
}
