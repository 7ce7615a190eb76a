package io.lifeboat.recover.server;

import com.uber.m3.tally.Scope;
import io.lifeboat.run.StepTiming;
import io.lifeboat.recover.db.RecoveryMetrics;
import java.util.List;
import java.util.Map;

/**
 * The server recovery as Prometheus sees it: the recovery's duration against its RTO (the
 * database recovery's gauges, kind {@code server}), each step's machine time and the time it
 * waited for a person, and whether a running recovery is at risk of its RTO. Emitted through
 * the workflow's metrics scope, which the SDK silences during replay.
 */
public final class ServerRecoveryMetrics {
  public static final String KIND = "server";
  /** Gauge: seconds the machines worked in a step of the last server recovery, tagged step. */
  public static final String STEP = "lifeboat_server_recovery_step_seconds";
  /** Gauge: seconds a step of the last server recovery waited for a person, tagged step. */
  public static final String STEP_HUMAN = "lifeboat_server_recovery_step_human_wait_seconds";
  /**
   * Gauge: 1 while a server recovery of the target has used 80 % of its RTO and still runs
   * (search attribute RtoStatus = at-risk), 0 when it ends.
   */
  public static final String AT_RISK = "lifeboat_server_recovery_rto_at_risk";

  public static final List<String> ALL = List.of(STEP, STEP_HUMAN, AT_RISK);

  public static final Map<String, String> HELP = Map.of(
      STEP, "Seconds the machines worked in each step of the last server recovery",
      STEP_HUMAN, "Seconds each step of the last server recovery waited for a person",
      AT_RISK, "1 while a server recovery has used 80 % of its RTO and still runs, else 0");

  private ServerRecoveryMetrics() {}

  /** At the end of a run, succeeded or failed. */
  public static void finished(Scope scope, String target, String database, List<StepTiming> steps,
      double seconds, double rtoSeconds, boolean met) {
    RecoveryMetrics.record(scope, database, KIND, seconds, rtoSeconds, met);
    for (StepTiming s : steps) {
      Scope step = scope.tagged(Map.of("target", target, "step", s.step()));
      step.gauge(STEP).update(s.machineMillis() / 1000.0);
      step.gauge(STEP_HUMAN).update(s.humanWaitMillis() / 1000.0);
    }
    atRisk(scope, target, false);
  }

  /**
   * At the end of a server recovery, succeeded or failed: the gauges above, and the machine and
   * human time as facts of the report. Call from workflow code.
   */
  public static void finished(String target, ServerRecoveryRequest req,
      io.lifeboat.run.StepRecorder steps, io.lifeboat.run.RtoClock rto,
      io.lifeboat.run.ReportWriter report, boolean met) {
    finished(io.temporal.workflow.Workflow.getMetricsScope(), target, req.database().name(),
        steps.steps(), rto.elapsedMillis() / 1000.0, rto.rtoMillis() / 1000.0, met);
    report.timeSpent(rto.elapsedMillis(), steps.humanWaitMillis());
  }

  public static void atRisk(Scope scope, String target, boolean atRisk) {
    scope.tagged(Map.of("target", target)).gauge(AT_RISK).update(atRisk ? 1 : 0);
  }
}
