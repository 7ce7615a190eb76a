package io.lifeboat.notify;

import io.lifeboat.failure.FailureKind;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The one way workflows notify. Each configured channel is tried with a few retries; a channel
 * that still fails is logged and counted ({@code lifeboat_notifications_failed_total}), never
 * thrown: a broken mail server must not turn a good backup into a failed one, nor hide the
 * failure being reported. Call it from workflow code only.
 */
public final class Notifier {
  private static final Logger log = Workflow.getLogger(Notifier.class);

  /** Counter: notifications given up on, by channel and event. */
  public static final String FAILED_TOTAL = "lifeboat_notifications_failed_total";
  /** Counter: notifications delivered, by channel and event. */
  public static final String SENT_TOTAL = "lifeboat_notifications_sent_total";
  public static final Map<String, String> HELP = Map.of(
      FAILED_TOTAL, "Notifications that could not be delivered after retries, by channel and event",
      SENT_TOTAL, "Notifications delivered, by channel and event");
  public static final String TAG_CHANNEL = "channel";
  public static final String TAG_EVENT = "event";

  private Notifier() {}

  /** Sends to every configured channel; returns the channels that failed (empty when none). */
  public static List<String> send(NotificationTarget target, Notification notification) {
    List<String> failed = new ArrayList<>();
    if (target == null || !target.channels().any()) {
      return failed;
    }
    NotificationActivities activities = Workflow.newActivityStub(NotificationActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder()
                .setMaximumAttempts(3)
                .setInitialInterval(Duration.ofSeconds(2))
                .setMaximumInterval(Duration.ofSeconds(10))
                .setDoNotRetry(FailureKind.nonRetryableTypes())
                .build())
            .build());
    List<String> channels = new ArrayList<>();
    if (target.channels().webhook() != null) channels.add(Delivery.CHANNEL_WEBHOOK);
    if (target.channels().email() != null) channels.add(Delivery.CHANNEL_EMAIL);
    for (String channel : channels) {
      var scope = Workflow.getMetricsScope().tagged(
          Map.of(TAG_CHANNEL, channel, TAG_EVENT, notification.event()));
      try {
        activities.deliver(new Delivery(channel, target.channels(), notification));
        scope.counter(SENT_TOTAL).inc(1);
      } catch (ActivityFailure e) {
        failed.add(channel);
        scope.counter(FAILED_TOTAL).inc(1);
        log.warn("notification '{}' by {} failed: {}", notification.subject(), channel,
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    return failed;
  }
}
