package io.lifeboat.notify;

import io.lifeboat.config.NotificationsConfig;

/** One notification to one channel ({@link #CHANNEL_WEBHOOK} or {@link #CHANNEL_EMAIL}). */
public record Delivery(String channel, NotificationsConfig channels, Notification notification) {
  public static final String CHANNEL_WEBHOOK = "webhook";
  public static final String CHANNEL_EMAIL = "email";
}
