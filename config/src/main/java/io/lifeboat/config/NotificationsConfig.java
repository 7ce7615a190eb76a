package io.lifeboat.config;

import java.util.List;

/**
 * Where Lifeboat tells people that something needs them: a Slack-compatible webhook and SMTP
 * email, both optional. Only names of environment variables are kept here: a webhook URL holds
 * a token, and records in this package travel through workflow histories.
 */
public record NotificationsConfig(Webhook webhook, Email email, Double statusEveryMinutes) {
  public static final NotificationsConfig NONE = new NotificationsConfig(null, null);
  /** The seed's communication plan: stakeholders get a status with the ETA every 30 minutes. */
  public static final double DEFAULT_STATUS_EVERY_MINUTES = 30;

  /**
   * @param statusEveryMinutes how often a running recovery or rollback sends a status message
   *     (steps done, current step, elapsed, projected finish against the RTO); default 30, must
   *     be more than 0. A decimal is allowed ({@code 0.05} is every 3 seconds), which is how the
   *     end-to-end test gets a status without waiting half an hour.
   */
  public NotificationsConfig {
    statusEveryMinutes = statusEveryMinutes != null ? statusEveryMinutes
        : DEFAULT_STATUS_EVERY_MINUTES;
  }

  public NotificationsConfig(Webhook webhook, Email email) {
    this(webhook, email, null);
  }

  /** The status interval in milliseconds, at least one. */
  public long statusEveryMillis() {
    return Math.max(1, Math.round(statusEveryMinutes * 60_000));
  }

  /** True when at least one channel is configured. */
  public boolean any() {
    return webhook != null || email != null;
  }

  /** @param urlEnv the environment variable holding the webhook URL (Slack incoming webhook) */
  public record Webhook(String urlEnv) {}

  /**
   * @param startTls upgrade the connection with STARTTLS (required when set)
   * @param usernameEnv, passwordEnv SMTP authentication, both or neither
   */
  public record Email(String host, Integer port, String from, List<String> to,
      String usernameEnv, String passwordEnv, Boolean startTls) {
    public Email {
      port = port != null ? port : 25;
      to = to == null ? List.of() : List.copyOf(to);
      startTls = startTls != null ? startTls : Boolean.FALSE;
    }
  }
}
