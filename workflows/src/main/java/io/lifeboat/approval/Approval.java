package io.lifeboat.approval;

/**
 * A human step as it was approved; times are workflow time (epoch millis).
 *
 * @param requestedAtMillis when the workflow started waiting for it
 * @param approvedAtMillis when the approval was accepted
 * @param reminders how many reminders were sent while it waited (the first notice not counted)
 */
public record Approval(String step, String by, String reason, String value,
    long requestedAtMillis, long approvedAtMillis, int reminders) {

  /** Time spent waiting for a person: never counted as machine time. */
  public long waitedMillis() {
    return approvedAtMillis - requestedAtMillis;
  }
}
