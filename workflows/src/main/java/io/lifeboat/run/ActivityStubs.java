package io.lifeboat.run;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.config.RetryConfig;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity stubs as the workflows set them: the config's retries with exponential backoff, and
 * every failure kind FailureKind marks final never retried (one place, so the retry meaning in
 * the registry is the one every workflow applies).
 */
public final class ActivityStubs {
  private ActivityStubs() {}

  public static RetryOptions retries(RetryConfig retry) {
    return RetryOptions.newBuilder()
        .setMaximumAttempts(retry.maxAttempts())
        .setInitialInterval(Duration.ofSeconds(retry.initialIntervalSeconds()))
        .setMaximumInterval(Duration.ofSeconds(retry.maxIntervalSeconds()))
        .setBackoffCoefficient(2.0)
        .setDoNotRetry(FailureKind.nonRetryableTypes())
        .build();
  }

  /** A stub with the config's retries; {@code heartbeat} null for activities that do not beat. */
  public static <T> T of(Class<T> type, RetryConfig retry, Duration startToClose,
      Duration heartbeat) {
    return of(type, retry, startToClose, heartbeat, null);
  }

  /**
   * The same, on another task queue: a host's agent queue for host-bound activities (issue 17,
   * {@link io.lifeboat.host.HostRouting}); null keeps the workflow's own queue.
   */
  public static <T> T of(Class<T> type, RetryConfig retry, Duration startToClose,
      Duration heartbeat, String taskQueue) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(retries(retry));
    if (heartbeat != null) options.setHeartbeatTimeout(heartbeat);
    if (taskQueue != null) options.setTaskQueue(taskQueue);
    return Workflow.newActivityStub(type, options.build());
  }
}
