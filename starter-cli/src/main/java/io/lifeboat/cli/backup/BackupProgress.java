package io.lifeboat.cli.backup;

import io.lifeboat.cli.ResultWatch;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.BackupStatus;
import io.lifeboat.backup.dump.DumpProgress;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.WorkflowWait;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a backup while showing its step and a bar of bytes dumped. Bytes come from the
 * dump activity's heartbeat details (DescribeWorkflowExecution), so the bar moves even when
 * the worker is busy; retries are shown with the reason of the failed attempt.
 */
final class BackupProgress {
  private final WorkflowClient client;
  private final String workflowId;
  private final PrintWriter out;
  private final boolean show;
  private final boolean tty = System.console() != null;
  private long expected;
  private String lastLine = "";
  private long lastPrinted;

  BackupProgress(WorkflowClient client, String workflowId, PrintWriter out, boolean show) {
    this.client = client;
    this.workflowId = workflowId;
    this.out = out;
    this.show = show;
  }

  BackupResult await() {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    long started = System.currentTimeMillis();
    ResultWatch<BackupResult> result = new ResultWatch<>(stub, BackupResult.class);
    while (true) {
      try {
        if (result.closedWithin(1, TimeUnit.SECONDS)) {
          if (show && tty) out.println();
          return result.value();
        }
        if (show) {
          try {
            render(stub, System.currentTimeMillis() - started);
          } catch (io.grpc.StatusRuntimeException busy) {
            // The server may refuse a describe while the workflow is busy: skip this tick.
          }
        }
      } catch (WorkflowFailedException e) {
        if (show && tty) out.println();
        throw new OperationFailed(WorkflowWait.explain("backup", e));
      } catch (RuntimeException e) {
        WorkflowWait.pauseIfBusy(e);
      }
    }
  }


  private void render(WorkflowStub stub, long elapsedMillis) {
    if (expected == 0) {
      try {
        BackupStatus s = CompletableFuture.supplyAsync(() -> stub.query("status", BackupStatus.class))
            .get(2, TimeUnit.SECONDS);
        expected = s.expectedRawBytes();
      } catch (Exception ignored) {
        // no worker answering queries right now; the bar waits for the next tick
      }
    }
    var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
    String step = "waiting for the worker";
    String bar = "";
    String retry = "";
    for (PendingActivityInfo a : desc.getPendingActivitiesList()) {
      step = a.getActivityType().getName();
      if (a.hasHeartbeatDetails() && a.getActivityType().getName().equals("DumpToRepository")) {
        Optional<DumpProgress> p = Optional.ofNullable(client.getOptions().getDataConverter()
            .fromPayloads(0, Optional.of(a.getHeartbeatDetails()), DumpProgress.class,
                DumpProgress.class));
        bar = p.map(this::bar).orElse("");
      }
      if (a.getAttempt() > 1 && a.hasLastFailure()) {
        retry = "  attempt " + a.getAttempt() + ", last: " + a.getLastFailure().getMessage();
      }
    }
    String line = String.format("  [%s] %-20s %s%s", Bytes.duration(elapsedMillis), step, bar, retry);
    if (tty) {
      out.print("\r" + line + "   ");
      out.flush();
    } else if (!line.replaceAll("\\[[^]]*]", "").equals(lastLine.replaceAll("\\[[^]]*]", ""))
        && System.currentTimeMillis() - lastPrinted > 2000) {
      out.println(line);
      lastLine = line;
      lastPrinted = System.currentTimeMillis();
    }
  }

  private String bar(DumpProgress p) {
    int width = 24;
    // pg_dump's output is usually smaller than the database on disk (indexes are not dumped),
    // so the bar is an estimate and stops short of full until the dump ends.
    double frac = expected <= 0 ? 0 : Math.min(0.99, (double) p.rawBytes() / expected);
    int filled = (int) (frac * width);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
        + Bytes.human(p.rawBytes()) + " dumped, " + Bytes.human(p.storedBytes()) + " stored, "
        + p.partsDone().size() + " parts";
  }
}
