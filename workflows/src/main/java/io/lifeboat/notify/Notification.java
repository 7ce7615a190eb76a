package io.lifeboat.notify;

import java.util.Map;

/**
 * One message to people. Channels render it their own way (Slack text, an email), so it carries
 * parts, not a formatted body.
 *
 * @param event one of the {@code EVENT_*} constants: what kind of news this is
 * @param subject a short line naming the estate and the thing, e.g. "backup of X failed"
 * @param text one line: what happened and what to do
 * @param details key facts (step, failure type, backup id), shown as a list
 * @param link the workflow's page in the Temporal web UI, or null
 */
public record Notification(String event, String subject, String text, Map<String, String> details,
    String link) {
  public static final String EVENT_FAILURE = "failure";
  public static final String EVENT_HUMAN_STEP_WAITING = "human-step-waiting";
  public static final String EVENT_DRILL_REPORT = "drill-report";
  public static final String EVENT_VERIFICATION_FAILED = "verification-failed";
  public static final String EVENT_CHECK_FAILED = "check-failed";
  /** A run waits for a host's agent that does not poll (issue 17). */
  public static final String EVENT_AGENT_MISSING = "agent-missing";

  public Notification {
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
