package io.lifeboat.verify;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/**
 * The verification metrics, named as Prometheus exposes them (see {@code BackupMetrics} for why
 * emitting them from workflow code is replay-safe). Labels: {@code source} (database or
 * application name) and {@code kind} ("db-full"), plus the SDK's namespace, task_queue and
 * workflow_type.
 */
public final class VerificationMetrics {
  /** Gauge: 1 when the last verification of the source's newest backup passed, else 0. */
  public static final String SUCCESS = "lifeboat_verification_success";
  /** Gauge: Unix time of the last verification run, whatever its outcome. */
  public static final String LAST_TIMESTAMP = "lifeboat_verification_last_timestamp_seconds";
  /** Gauge: Unix time of the last verification that passed. */
  public static final String LAST_SUCCESS_TIMESTAMP =
      "lifeboat_verification_last_success_timestamp_seconds";
  /** Gauge: seconds the last verification of the source took (download, restore, queries). */
  public static final String DURATION_SECONDS = "lifeboat_verification_duration_seconds";
  /** Counter: verifications by outcome (passed, failed). */
  public static final String RUNS_TOTAL = "lifeboat_verification_runs_total";

  public static final List<String> ALL =
      List.of(SUCCESS, LAST_TIMESTAMP, LAST_SUCCESS_TIMESTAMP, DURATION_SECONDS, RUNS_TOTAL);

  public static final Map<String, String> HELP = Map.of(
      SUCCESS, "1 if the last verification of the newest backup passed, 0 if it failed",
      LAST_TIMESTAMP, "Unix time of the last verification run, whatever its outcome",
      LAST_SUCCESS_TIMESTAMP, "Unix time of the last verification that passed",
      DURATION_SECONDS, "Seconds the last verification took (download, checks, restore, queries)",
      RUNS_TOTAL, "Verifications by outcome (passed, failed)");

  public static final String TAG_SOURCE = "source";
  public static final String TAG_KIND = "kind";
  public static final String TAG_OUTCOME = "outcome";

  private VerificationMetrics() {}

  public static void record(Scope scope, VerificationResult r) {
    Scope s = scope.tagged(Map.of(TAG_SOURCE, r.source(), TAG_KIND, r.kind()));
    long finished = r.finishedAtMillis() / 1000;
    s.gauge(SUCCESS).update(r.passed() ? 1 : 0);
    s.gauge(LAST_TIMESTAMP).update(finished);
    if (r.passed()) s.gauge(LAST_SUCCESS_TIMESTAMP).update(finished);
    s.gauge(DURATION_SECONDS).update(
        Math.max(0, r.finishedAtMillis() - r.startedAtMillis()) / 1000.0);
    s.tagged(Map.of(TAG_OUTCOME, r.passed() ? "passed" : "failed")).counter(RUNS_TOTAL).inc(1);
  }
}
