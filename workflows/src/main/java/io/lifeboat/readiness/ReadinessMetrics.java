package io.lifeboat.readiness;

import com.uber.m3.tally.Scope;
import java.util.List;
import java.util.Map;

/** The readiness workflow's metrics. */
public final class ReadinessMetrics {
  /** Gauge per {@code path} and {@code check}: 1 when the check passed at the last run, else 0. */
  public static final String OK = "lifeboat_readiness_ok";
  /** Gauge: when the last readiness run checked, in Unix seconds. */
  public static final String CHECKED = "lifeboat_readiness_checked_timestamp_seconds";
  /** Gauge: problems found by the last readiness run. */
  public static final String PROBLEMS = "lifeboat_readiness_problems";
  public static final String TAG_PATH = "path";
  public static final String TAG_CHECK = "check";

  public static final List<String> ALL = List.of(OK, CHECKED, PROBLEMS);

  public static final Map<String, String> HELP = Map.of(
      OK, "1 if the recovery path's check passed at the last readiness run, 0 if not",
      CHECKED, "When the last readiness run checked the recovery paths (Unix seconds)",
      PROBLEMS, "Problems the last readiness run found");

  private ReadinessMetrics() {}

  public static void record(Scope scope, ReadinessReport report) {
    for (ReadinessFinding f : report.findings()) {
      scope.tagged(Map.of(TAG_PATH, f.path(), TAG_CHECK, f.check())).gauge(OK)
          .update(f.ok() ? 1 : 0);
    }
    scope.gauge(PROBLEMS).update(report.problems().size());
    scope.gauge(CHECKED).update(report.checkedAtMillis() / 1000.0);
  }
}
