package io.lifeboat.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * When a run is projected to finish, against its RTO (see {@link StepPlan} for the rule).
 *
 * @param elapsedMillis time used so far
 * @param remainingMillis the estimate of what is left: the current step's remainder and every
 *     planned step not yet done
 * @param totalMillis elapsed + remaining: the projected duration of the whole run
 * @param finishAtMillis start + total (epoch millis, workflow time)
 * @param rtoMillis the RTO the run is measured against
 * @param overRto the projected total passes the RTO
 * @param basis where the estimates came from: "previous run", "RTO split" or both
 */
public record Projection(long elapsedMillis, long remainingMillis, long totalMillis,
    long finishAtMillis, long rtoMillis, boolean overRto, String basis) {

  private static final DateTimeFormatter HMS =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** "04:12:30 UTC (total 35m 0s against an RTO of 30m 0s: over the RTO; from RTO split)". */
  public String describe() {
    return HMS.format(Instant.ofEpochMilli(finishAtMillis)) + " (total " + duration(totalMillis)
        + " against an RTO of " + duration(rtoMillis) + ": "
        + (overRto ? "over the RTO" : "within the RTO") + "; estimates from " + basis + ")";
  }

  /** "1h 2m 3s", "2m 3s", "3s". */
  public static String duration(long millis) {
    long s = Math.max(0, millis) / 1000;
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) return h + "h " + m + "m " + sec + "s";
    if (m > 0) return m + "m " + sec + "s";
    return sec + "s";
  }
}
