package io.lifeboat.config;

import java.util.List;

/**
 * Where Lifeboat tells people that something needs them: a Slack-compatible webhook and SMTP
 * email, both optional. Only names of environment variables are kept here: a webhook URL holds
 * a token, and records in this package travel through workflow histories.
 */
public record NotificationsConfig(Webhook webhook, Email email) {
  public static final NotificationsConfig NONE = new NotificationsConfig(null, null);

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
