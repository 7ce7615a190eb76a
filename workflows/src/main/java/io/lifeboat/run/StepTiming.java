package io.lifeboat.run;

/**
 * One step of a workflow as it happened; times are workflow time (epoch millis).
 *
 * @param humanWaitMillis the part of the step spent waiting for a person (an approval); 0 for
 *     machine steps, and in reports and histories written before it existed
 */
public record StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome,
    long humanWaitMillis) {

  public StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome) {
    this(step, startedAtMillis, finishedAtMillis, outcome, 0);
  }

  public long durationMillis() {
    return finishedAtMillis - startedAtMillis;
  }

  /** Time the machine worked: the step's time less the time a person took to approve it. */
  public long machineMillis() {
    return durationMillis() - humanWaitMillis;
  }

  public boolean human() {
    return humanWaitMillis > 0;
  }
}
