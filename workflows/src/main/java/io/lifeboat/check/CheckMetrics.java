package io.lifeboat.check;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/** The repository check's metrics, per {@code source} and {@code kind}. */
public final class CheckMetrics {
  /** Gauge: 1 when the newest backup is younger than checks.maxAgeHours, else 0. */
  public static final String FRESH = "lifeboat_check_fresh";
  /** Gauge: 1 when every required daily/weekly/monthly period holds a backup, else 0. */
  public static final String RETENTION_COMPLIANT = "lifeboat_check_retention_compliant";
  /** Gauge: age in seconds of the newest committed backup when the check ran (absent if none). */
  public static final String NEWEST_AGE_SECONDS = "lifeboat_check_newest_backup_age_seconds";
  /** Gauge: committed backups found. */
  public static final String BACKUPS = "lifeboat_check_backups";

  /** Gauge: when the newest committed backup was taken, Unix seconds (absent if none). */
  public static final String NEWEST_TIMESTAMP =
      "lifeboat_check_newest_backup_timestamp_seconds";
  /** Gauge: the newest committed backup's size as its manifest states it (absent if unknown). */
  public static final String NEWEST_BYTES = "lifeboat_check_newest_backup_bytes";

  public static final List<String> ALL = List.of(FRESH, RETENTION_COMPLIANT, NEWEST_AGE_SECONDS,
      BACKUPS, NEWEST_TIMESTAMP, NEWEST_BYTES);

  public static final Map<String, String> HELP = Map.of(
      FRESH, "1 if the newest backup is younger than checks.maxAgeHours, 0 if not",
      RETENTION_COMPLIANT, "1 if every required daily, weekly and monthly period holds a backup",
      NEWEST_AGE_SECONDS, "Age in seconds of the newest committed backup when the check ran",
      BACKUPS, "Committed backups of the source found in the repository",
      NEWEST_TIMESTAMP, "When the newest committed backup of the source was taken (Unix seconds)",
      NEWEST_BYTES, "Size in bytes of the newest committed backup, as its manifest states it");

  private CheckMetrics() {}

  public static void record(Scope scope, SourceCheck c) {
    Scope s = scope.tagged(Map.of("source", c.source(), "kind", c.kind()));
    s.gauge(FRESH).update(c.fresh() ? 1 : 0);
    s.gauge(RETENTION_COMPLIANT).update(c.retentionCompliant() ? 1 : 0);
    if (c.newestAgeSeconds() >= 0) s.gauge(NEWEST_AGE_SECONDS).update(c.newestAgeSeconds());
    s.gauge(BACKUPS).update(c.backups());
    if (c.newestAtMillis() >= 0) s.gauge(NEWEST_TIMESTAMP).update(c.newestAtMillis() / 1000.0);
    if (c.newestBytes() >= 0) s.gauge(NEWEST_BYTES).update(c.newestBytes());
  }
}
