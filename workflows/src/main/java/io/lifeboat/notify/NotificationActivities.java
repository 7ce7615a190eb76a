package io.lifeboat.notify;

import io.temporal.activity.ActivityInterface;

/**
 * Sends notifications. One call per channel, so a retry of a failed webhook never sends the
 * email twice. Workflows call it through {@link Notifier}, which never lets a notification
 * failure fail the workflow.
 */
@ActivityInterface
public interface NotificationActivities {

  /** Delivers to the one channel named; failures are typed NOTIFY_FAILED (retryable). */
  void deliver(Delivery delivery);
}
