package io.lifeboat.offsite;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/**
 * The offsite copy's metrics, named as Prometheus exposes them (see {@code BackupMetrics} for
 * why emitting them from workflow code is replay-safe). Tags: {@link #TAG_KIND} and
 * {@link #TAG_SOURCE}; the SDK adds namespace, task_queue and workflow_type.
 */
public final class OffsiteMetrics {
  /** Gauge: Unix time of the last offsite copy run that copied and verified everything. */
  public static final String LAST_SUCCESS_TIMESTAMP =
      "lifeboat_offsite_last_success_timestamp_seconds";
  /** Gauge: 1 when the last offsite copy run succeeded, 0 when it failed. */
  public static final String SUCCESS = "lifeboat_offsite_success";
  /** Gauge: bytes the last successful run copied (0 when everything was there already). */
  public static final String COPIED_BYTES = "lifeboat_offsite_copied_bytes";

  public static final List<String> ALL = List.of(LAST_SUCCESS_TIMESTAMP, SUCCESS, COPIED_BYTES);

  public static final Map<String, String> HELP = Map.of(
      LAST_SUCCESS_TIMESTAMP, "Unix time of the last successful offsite copy (copied and verified)",
      SUCCESS, "1 if the last offsite copy run succeeded, 0 if it failed",
      COPIED_BYTES, "Bytes copied to the offsite bucket by the last successful run");

  public static final String TAG_KIND = "kind";
  public static final String TAG_SOURCE = "source";

  private OffsiteMetrics() {}

  public static void succeeded(Scope scope, String kind, String source, long finishedAtMillis,
      long bytes) {
    Scope s = scope.tagged(Map.of(TAG_KIND, kind, TAG_SOURCE, source));
    s.gauge(LAST_SUCCESS_TIMESTAMP).update(finishedAtMillis / 1000);
    s.gauge(SUCCESS).update(1);
    s.gauge(COPIED_BYTES).update(bytes);
  }

  public static void failed(Scope scope, String kind, String source) {
    scope.tagged(Map.of(TAG_KIND, kind, TAG_SOURCE, source)).gauge(SUCCESS).update(0);
  }
}
