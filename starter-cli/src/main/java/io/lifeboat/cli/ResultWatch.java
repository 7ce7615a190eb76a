package io.lifeboat.cli;

import io.temporal.client.WorkflowStub;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A workflow's result, asked for once and looked at in ticks: the waits of `--wait` print
 * progress between looks, and each look must not be a call of its own. A `getResult` with a
 * one-second timeout is one long poll per second, and each such poll cost the Temporal server
 * about 0.3 s of CPU (measured 2026-12-07 on the dev server, 2 cores: ten one-second polls
 * 3.0 s of server CPU, one long poll over the same ten seconds 0.3 s); during `backup db
 * --wait` the server and the CLI together took about one core from the dump they watched.
 * Here one {@link WorkflowStub#getResultAsync} long-polls for the whole wait, and a look is a
 * local wait on its future.
 *
 * <p>What a look throws is what {@code getResult} throws (a failed run's
 * {@link io.temporal.client.WorkflowFailedException}, the server's errors). "Workflow is busy"
 * (RESOURCE_EXHAUSTED) is not the run's answer: the poll is asked again after a pause and the
 * look returns empty.
 */
public final class ResultWatch<T> {
  private final WorkflowStub stub;
  private final Class<T> type;
  private CompletableFuture<T> result;

  public ResultWatch(WorkflowStub stub, Class<T> type) {
    this.stub = stub;
    this.type = type;
    this.result = stub.getResultAsync(type);
  }

  /**
   * Whether the run has closed within {@code time} (then {@link #value()} answers at once);
   * false while it still runs. A run may close with a null result, so closing is not told by
   * the value.
   */
  public boolean closedWithin(long time, TimeUnit unit) {
    try {
      result.get(time, unit);
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the workflow", e);
    } catch (ExecutionException e) {
      RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException(e.getCause());
      WorkflowWait.pauseIfBusy(cause); // rethrows anything but "busy"
      result = stub.getResultAsync(type);
      return false;
    }
  }

  /** The closed run's result (null when the workflow returned none). */
  public T value() {
    if (!result.isDone() || result.isCompletedExceptionally()) {
      throw new IllegalStateException("value() before closedWithin(...) said the run closed");
    }
    return result.join();
  }
}
