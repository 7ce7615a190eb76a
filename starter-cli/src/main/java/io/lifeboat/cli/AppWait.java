package io.lifeboat.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Waits for an application workflow, printing a line whenever its step changes. */
public final class AppWait {
  private AppWait() {}

  public static <R> R await(WorkflowClient client, String workflowId, Class<R> resultType,
      PrintWriter out, boolean show, String what, Function<WorkflowStub, String> progressLine) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    String last = "";
    ResultWatch<R> result = new ResultWatch<>(stub, resultType);
    while (true) {
      try {
        if (result.closedWithin(1, TimeUnit.SECONDS)) return result.value();
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
        throw new OperationFailed(WorkflowWait.explain(what, e));
      } catch (RuntimeException e) {
        WorkflowWait.pauseIfBusy(e);
      }
    }
  }

}
