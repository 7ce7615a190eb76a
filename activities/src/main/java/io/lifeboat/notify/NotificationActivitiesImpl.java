package io.lifeboat.notify;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;

/** Routes a delivery to its channel; every failure leaves as a typed registry failure. */
public class NotificationActivitiesImpl implements NotificationActivities {
  private final Secrets secrets;

  public NotificationActivitiesImpl(Secrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public void deliver(Delivery delivery) {
    NotificationsConfig channels = delivery.channels();
    try {
      switch (delivery.channel()) {
        case Delivery.CHANNEL_WEBHOOK -> {
          if (channels.webhook() == null) throw misconfigured("no notifications.webhook");
          String url = secrets.require(channels.webhook().urlEnv(), "notification webhook URL");
          new WebhookSender().send(url, delivery.notification());
        }
        case Delivery.CHANNEL_EMAIL -> {
          if (channels.email() == null) throw misconfigured("no notifications.email");
          new EmailSender(channels.email(), secrets).send(delivery.notification());
        }
        default -> throw misconfigured("unknown channel " + delivery.channel());
      }
    } catch (ConfigException e) {
      throw FailureKind.NOTIFY_MISCONFIGURED.failure(e.getMessage());
    } catch (NotifyException e) {
      throw (e.permanent ? FailureKind.NOTIFY_MISCONFIGURED : FailureKind.NOTIFY_FAILED)
          .failure(delivery.channel() + ": " + e.getMessage());
    }
  }

  private static io.temporal.failure.ApplicationFailure misconfigured(String why) {
    return FailureKind.NOTIFY_MISCONFIGURED.failure(why);
  }

  /** A delivery failure; permanent when retrying cannot help (rejected URL, bad address). */
  static final class NotifyException extends Exception {
    final boolean permanent;

    NotifyException(String message, boolean permanent, Throwable cause) {
      super(message, cause);
      this.permanent = permanent;
    }
  }
}
