package io.lifeboat.run;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/**
 * The backup metrics, named as Prometheus exposes them, so the alert rules in
 * {@code docs/operator/monitoring/lifeboat-alerts.yml}, the dashboard and the code agree on one list.
 *
 * <p>Workflows emit them through {@code Workflow.getMetricsScope()}: the SDK drops metrics while
 * a workflow replays and writes nothing to its history, so emitting them is replay-safe and
 * leaves recorded histories valid. The worker reports the scope into a Micrometer Prometheus
 * registry; the names below are chosen so that registry exposes them unchanged (it strips and
 * re-appends {@code _total} on counters and adds no unit to gauges without a base unit).
 *
 * <p>Every metric carries {@link #TAG_DATABASE} and {@link #TAG_KIND}; the SDK adds
 * {@code namespace}, {@code task_queue} and {@code workflow_type}.
 */
public final class BackupMetrics {
  /** Gauge: Unix time (seconds) at which the last successful backup committed its manifest. */
  public static final String LAST_SUCCESS_TIMESTAMP =
      "lifeboat_backup_last_success_timestamp_seconds";
  /** Gauge: 1 when the last backup run succeeded, 0 when it failed or was cancelled. */
  public static final String SUCCESS = "lifeboat_backup_success";
  /** Gauge: bytes stored in the repository by the last successful backup (compressed). */
  public static final String SIZE_BYTES = "lifeboat_backup_size_bytes";
  /** Gauge: bytes pg_dump produced for the last successful backup (before compression). */
  public static final String RAW_SIZE_BYTES = "lifeboat_backup_raw_size_bytes";
  /** Gauge: wall-clock seconds of the last backup run, whatever its outcome. */
  public static final String DURATION_SECONDS = "lifeboat_backup_duration_seconds";
  /** Counter: finished backup runs, by {@link #TAG_OUTCOME}. */
  public static final String RUNS_TOTAL = "lifeboat_backup_runs_total";

  /** Every name above, as exposed on {@code /metrics}. */
  public static final List<String> ALL = List.of(LAST_SUCCESS_TIMESTAMP, SUCCESS, SIZE_BYTES,
      RAW_SIZE_BYTES, DURATION_SECONDS, RUNS_TOTAL);

  /** One line per metric for the exposition's {@code # HELP}. */
  public static final Map<String, String> HELP = Map.of(
      LAST_SUCCESS_TIMESTAMP, "Unix time of the last successful backup (manifest committed)",
      SUCCESS, "1 if the last backup run succeeded, 0 if it failed or was cancelled",
      SIZE_BYTES, "Bytes stored in the repository by the last successful backup",
      RAW_SIZE_BYTES, "Bytes pg_dump produced for the last successful backup, uncompressed",
      DURATION_SECONDS, "Seconds the last backup run took, whatever its outcome",
      RUNS_TOTAL, "Finished backup runs by outcome (succeeded, failed)");

  public static final String TAG_DATABASE = "database";
  public static final String TAG_KIND = "kind";
  public static final String TAG_OUTCOME = "outcome";

  private BackupMetrics() {}

  /**
   * Records a committed backup.
   *
   * @param scope the workflow's metrics scope ({@code Workflow.getMetricsScope()})
   * @param finishedAtMillis workflow time of the commit ({@code Workflow.currentTimeMillis()})
   */
  public static void succeeded(Scope scope, String database, String kind, long startedAtMillis,
      long finishedAtMillis, long storedBytes, long rawBytes) {
    Scope s = tagged(scope, database, kind);
    s.gauge(LAST_SUCCESS_TIMESTAMP).update(finishedAtMillis / 1000);
    s.gauge(SUCCESS).update(1);
    s.gauge(SIZE_BYTES).update(storedBytes);
    s.gauge(RAW_SIZE_BYTES).update(rawBytes);
    s.gauge(DURATION_SECONDS).update(seconds(startedAtMillis, finishedAtMillis));
    runs(s, LifeboatSearchAttributes.OUTCOME_SUCCEEDED);
  }

  /** Records a run that ended without a backup (failed or cancelled). */
  public static void failed(Scope scope, String database, String kind, long startedAtMillis,
      long finishedAtMillis) {
    Scope s = tagged(scope, database, kind);
    s.gauge(SUCCESS).update(0);
    s.gauge(DURATION_SECONDS).update(seconds(startedAtMillis, finishedAtMillis));
    runs(s, LifeboatSearchAttributes.OUTCOME_FAILED);
  }

  private static Scope tagged(Scope scope, String database, String kind) {
    return scope.tagged(Map.of(TAG_DATABASE, database, TAG_KIND, kind));
  }

  private static void runs(Scope s, String outcome) {
    s.tagged(Map.of(TAG_OUTCOME, outcome)).counter(RUNS_TOTAL).inc(1);
  }

  private static double seconds(long fromMillis, long toMillis) {
    return Math.max(0, toMillis - fromMillis) / 1000.0;
  }
}
