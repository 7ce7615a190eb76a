package io.lifeboat.wal;

import io.lifeboat.run.BackupMetrics;
import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/**
 * The WAL archive's gauges, emitted by the archive check (every 6 hours and on demand) through
 * {@code Workflow.getMetricsScope()}, replay-safe like {@link BackupMetrics}. Tagged with
 * {@link BackupMetrics#TAG_DATABASE}. Base backups use {@link BackupMetrics} with kind "base".
 */
public final class WalMetrics {
  /** Gauge: achieved RPO in seconds at the last check (see WalCheckResult). */
  public static final String RPO_ACHIEVED = "lifeboat_rpo_achieved_seconds";
  /** Gauge: the RPO target (targets.rpoMinutes) in seconds. */
  public static final String RPO_TARGET = "lifeboat_rpo_target_seconds";
  /** Gauge: 1 when the archive was continuous from the oldest base backup on, else 0. */
  public static final String CONTINUOUS = "lifeboat_wal_archive_continuous";

  public static final List<String> ALL = List.of(RPO_ACHIEVED, RPO_TARGET, CONTINUOUS);

  public static final Map<String, String> HELP = Map.of(
      RPO_ACHIEVED, "Achieved RPO in seconds at the last WAL archive check",
      RPO_TARGET, "RPO target in seconds (targets.rpoMinutes)",
      CONTINUOUS, "1 if the WAL archive was continuous from the oldest base backup at the last check");

  private WalMetrics() {}

  public static void checked(Scope scope, String database, long rpoAchievedSeconds,
      long rpoTargetSeconds, boolean continuous) {
    Scope s = scope.tagged(Map.of(BackupMetrics.TAG_DATABASE, database));
    s.gauge(RPO_ACHIEVED).update(rpoAchievedSeconds);
    s.gauge(RPO_TARGET).update(rpoTargetSeconds);
    s.gauge(CONTINUOUS).update(continuous ? 1 : 0);
  }
}
