package io.lifeboat.approval;

/**
 * A step that waits for a person now.
 *
 * @param prompt what the person must check or do before approving
 * @param sinceMillis workflow time the wait began
 * @param reminders reminders sent so far (the first notice not counted)
 * @param valueRequired the approval must carry {@code --value} (e.g. a host address)
 */
public record WaitingStep(String step, String prompt, long sinceMillis, int reminders,
    boolean valueRequired) {}
