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

  /**
   * Gauge, per database ({@link #TAG_SOURCE}): the newest WAL segment's recorded write time in
   * the primary minus the same in the offsite bucket, measured at the end of each copy run
   * that covers {@code wal/NAME/} (the WAL sync schedule, base backups, `offsite sync`). It
   * does not grow between runs: the alert pairs it with the age of the last WAL sync.
   */
  public static final String WAL_LAG = "lifeboat_offsite_wal_lag_seconds";
  /** Gauge, per database: Unix time of the newest WAL segment's write in the offsite bucket. */
  public static final String WAL_NEWEST = "lifeboat_offsite_wal_newest_timestamp_seconds";

  public static final List<String> ALL = List.of(LAST_SUCCESS_TIMESTAMP, SUCCESS, COPIED_BYTES,
      WAL_LAG, WAL_NEWEST);

  public static final Map<String, String> HELP = Map.of(
      LAST_SUCCESS_TIMESTAMP, "Unix time of the last successful offsite copy (copied and verified)",
      SUCCESS, "1 if the last offsite copy run succeeded, 0 if it failed",
      COPIED_BYTES, "Bytes copied to the offsite bucket by the last successful run",
      WAL_LAG, "Newest WAL write time in the primary minus in the offsite, at the last copy",
      WAL_NEWEST, "Unix time the newest WAL segment in the offsite bucket was written");

  public static final String TAG_KIND = "kind";
  public static final String TAG_SOURCE = "source";
  /**
   * Issue 20: the copy repository's name ("offsite" for an {@code offsite:} section), so each
   * of {@code repositories:} has its own series; rules that aggregate by kind and source keep
   * working (they see the worst or newest over the repositories).
   */
  public static final String TAG_REPOSITORY = "repository";

  private OffsiteMetrics() {}

  public static void succeeded(Scope scope, String repository, String kind, String source,
      long finishedAtMillis, long bytes) {
    Scope s = scope.tagged(Map.of(TAG_KIND, kind, TAG_SOURCE, source, TAG_REPOSITORY,
        repository));
    s.gauge(LAST_SUCCESS_TIMESTAMP).update(finishedAtMillis / 1000);
    s.gauge(SUCCESS).update(1);
    s.gauge(COPIED_BYTES).update(bytes);
  }

  /** After a copy of {@code wal/DATABASE/}: how far the offsite's WAL is behind. */
  public static void walLag(Scope scope, String repository, String database, long lagSeconds,
      long offsiteNewestMillis) {
    Scope s = scope.tagged(Map.of(TAG_SOURCE, database, TAG_REPOSITORY, repository));
    s.gauge(WAL_LAG).update(lagSeconds);
    s.gauge(WAL_NEWEST).update(offsiteNewestMillis / 1000);
  }

  public static void failed(Scope scope, String repository, String kind, String source) {
    scope.tagged(Map.of(TAG_KIND, kind, TAG_SOURCE, source, TAG_REPOSITORY, repository))
        .gauge(SUCCESS).update(0);
  }
}
