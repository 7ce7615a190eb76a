package io.lifeboat.recover.db;

import com.uber.m3.tally.Scope;
import java.util.Map;

/**
 * Recovery time as Prometheus sees it, beside the promise. Emitted through the workflow's
 * metrics scope, which the SDK silences during replay.
 */
public final class RecoveryMetrics {
  /** Gauge: seconds the last recovery took, tagged database and kind (dump or pitr). */
  public static final String DURATION = "lifeboat_recovery_duration_seconds";
  /** Gauge: the RTO the recovery is measured against, tagged kind. */
  public static final String RTO_TARGET = "lifeboat_rto_target_seconds";
  /** Gauge: 1 when the last recovery succeeded within its RTO, else 0. */
  public static final String RTO_MET = "lifeboat_recovery_rto_met";

  /** Gauge: seconds between the last transaction restored and the target (the RPO achieved). */
  public static final String ACHIEVED_RPO = "lifeboat_recovery_achieved_rpo_seconds";
  public static final Map<String, String> HELP = Map.of(
      DURATION, "Seconds the last recovery took",
      RTO_TARGET, "The RTO a recovery is measured against, seconds",
      RTO_MET, "1 when the last recovery succeeded within its RTO, else 0",
      ACHIEVED_RPO, "Seconds between the last transaction a recovery restored and its target"
          + " (the recovery point achieved)");

  private RecoveryMetrics() {}

  public static void achievedRpo(Scope scope, String database, String kind, double seconds) {
    if (seconds < 0) return;
    scope.tagged(Map.of("database", database, "kind", kind)).gauge(ACHIEVED_RPO).update(seconds);
  }

  public static void record(Scope scope, String database, String kind, double seconds,
      double rtoSeconds, boolean met) {
    Scope s = scope.tagged(Map.of("database", database, "kind", kind));
    s.gauge(DURATION).update(seconds);
    s.gauge(RTO_MET).update(met ? 1 : 0);
    scope.tagged(Map.of("kind", kind)).gauge(RTO_TARGET).update(rtoSeconds);
  }
}
