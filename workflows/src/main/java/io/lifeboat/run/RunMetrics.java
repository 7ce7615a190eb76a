package io.lifeboat.run;

import com.uber.m3.tally.Scope;
import java.util.Map;

/**
 * The outcome of every recovery, rollback and drill, from the one place they all end: their
 * report ({@link ReportWriter}). Labelled {@code kind} (the report kind: db-recovery,
 * server-recovery, application-rollback, drill) and {@code subject} (the database, the target,
 * the application, or a drill's cadence). Emitted through the workflow metrics scope, which the
 * SDK silences during replay.
 */
public final class RunMetrics {
  /** Gauge: 1 when the last run of the kind and subject succeeded, 0 when it failed. */
  public static final String SUCCESS = "lifeboat_run_success";
  /** Gauge: Unix time the last run ended, whatever its outcome. */
  public static final String LAST_FINISHED = "lifeboat_run_last_finished_timestamp_seconds";
  /** Gauge: Unix time the last successful run ended. */
  public static final String LAST_SUCCESS = "lifeboat_run_last_success_timestamp_seconds";
  /** Gauge: 1 when the last run succeeded within its RTO, 0 if not (absent without an RTO). */
  public static final String RTO_MET = "lifeboat_run_rto_met";

  public static final Map<String, String> HELP = Map.of(
      SUCCESS, "1 if the last recovery, rollback or drill of this kind and subject succeeded",
      LAST_FINISHED, "Unix time the last recovery, rollback or drill of this kind and subject ended",
      LAST_SUCCESS, "Unix time the last successful recovery, rollback or drill ended",
      RTO_MET, "1 if the last run succeeded within its RTO, 0 if not");

  private RunMetrics() {}

  public static void finished(Scope scope, String kind, String subject, RunReport r) {
    Scope s = scope.tagged(Map.of("kind", kind, "subject", subject == null ? "" : subject));
    boolean ok = RunReport.SUCCEEDED.equals(r.outcome());
    s.gauge(SUCCESS).update(ok ? 1 : 0);
    s.gauge(LAST_FINISHED).update(r.finishedAtMillis() / 1000);
    if (ok) s.gauge(LAST_SUCCESS).update(r.finishedAtMillis() / 1000);
    if (r.rtoTargetMillis() > 0) {
      s.gauge(RTO_MET).update(ok && r.durationMillis() - r.humanWaitMillis()
          <= r.rtoTargetMillis() ? 1 : 0);
    }
  }
}
