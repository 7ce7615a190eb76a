package io.lifeboat.workflows.common;

/** One step of a workflow as it happened; times are workflow time (epoch millis). */
public record StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome) {
  public long durationMillis() {
    return finishedAtMillis - startedAtMillis;
  }
}
