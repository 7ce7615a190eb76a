package io.lifeboat.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a workflow as it happened; times are workflow time (epoch millis).
 *
 * @param humanWaitMillis the part of the step spent waiting for a person (an approval); 0 for
 *     machine steps, and in reports and histories written before it existed
 * @param host the {@code hosts[].name} whose agent ran the step's host-bound activities (issue
 *     17); absent when the step ran on the control worker alone (and on a one-machine estate)
 * @param agent the identities of the agents polling that host's queue when the step began
 *     ({@code agent@HOST/PID}); absent when no host
 */
public record StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome,
    long humanWaitMillis,
    @JsonInclude(JsonInclude.Include.NON_NULL) String host,
    @JsonInclude(JsonInclude.Include.NON_NULL) String agent) {

  public StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome,
      long humanWaitMillis) {
    this(step, startedAtMillis, finishedAtMillis, outcome, humanWaitMillis, null, null);
  }

  public StepTiming(String step, long startedAtMillis, long finishedAtMillis, String outcome) {
    this(step, startedAtMillis, finishedAtMillis, outcome, 0, null, null);
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
