package io.lifeboat.cli.recover;

import io.lifeboat.cli.ResultWatch;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.recover.db.RecoveryProgress;
import io.lifeboat.recover.db.RecoveryResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits for a recovery, printing each step as it starts and the time used against the RTO. */
final class RecoveryWatch {
  private static final long FIRST_LOOK_MILLIS = 200;
  private static final long LOOK_MILLIS = 2_000;
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
    ResultWatch<RecoveryResult> result = new ResultWatch<>(stub, RecoveryResult.class);
    while (true) {
      try {
        // Until the first step is shown, look often: a short recovery (seconds) would otherwise
        // end before the first look, and the operator would never see its projection.
        long waitMillis = show && lastStep.isEmpty() ? FIRST_LOOK_MILLIS : LOOK_MILLIS;
        if (result.closedWithin(waitMillis, TimeUnit.MILLISECONDS)) return result.value();
        if (show) render(stub);
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(WorkflowWait.explain("recovery", e));
      } catch (RuntimeException e) {
        WorkflowWait.pauseIfBusy(e);
      }
    }
  }

  private void render(WorkflowStub stub) {
    try {
      RecoveryProgress p = CompletableFuture.supplyAsync(
          () -> stub.query("progress", RecoveryProgress.class)).get(3, TimeUnit.SECONDS);
      if (!p.step().equals(lastStep)) {
        out.printf("  [%s of %s, %s] %s%s%n", Bytes.duration(p.elapsedMillis()),
            Bytes.duration(p.rtoTargetMillis()), p.rtoStatus(), p.step(),
            p.projection() == null ? "" : "; projected finish " + p.projection().describe());
        out.flush();
        lastStep = p.step();
      }
    } catch (Exception ignored) {
      // no worker answering queries at the moment (e.g. it was restarted): try next tick
    }
  }
}
