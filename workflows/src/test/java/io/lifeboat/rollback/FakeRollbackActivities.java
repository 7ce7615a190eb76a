package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the order of calls; a step can be told to fail a number of times (or always) with a
 * failure kind, as the real activities would.
 */
class FakeRollbackActivities implements RollbackActivities, ReportActivities {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<RunReport> reports = Collections.synchronizedList(new ArrayList<>());
  /** Every report's store request, with the offsite it names. */
  final List<StoreReportRequest> stored = Collections.synchronizedList(new ArrayList<>());
  /** Set: the report's offsite copy fails with this problem. */
  volatile String offsiteProblem;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, FailureKind> kinds = new HashMap<>();

  FakeRollbackActivities fail(String method, FailureKind kind, int times) {
    failures.put(method, times);
    kinds.put(method, kind);
    return this;
  }

  private void call(String method) {
    calls.add(method);
    Integer left = failures.get(method);
    if (left != null && left > 0) {
      failures.put(method, left - 1);
      throw kinds.get(method).failure(method + " failed (fake)");
    }
  }

  @Override
  public AppState identify(ApplicationConfig application) {
    call("identify");
    return new AppState("online", 3, false, "500 http://127.0.0.1:3300/api/health", "r2");
  }

  @Override
  public StagedRelease stageRelease(StageRequest request) {
    call("stageRelease");
    return new StagedRelease("previous/", null, "r1", "/srv/farmtally/.rollback-" + request.runKey(), 5);
  }

  @Override
  public void installDependencies(ReleaseStep step) {
    call("installDependencies");
  }

  @Override
  public String stopApp(ApplicationConfig application) {
    call("stopApp");
    return "stopped (was online)";
  }

  @Override
  public SwapResult swapRelease(ReleaseStep step) {
    call("swapRelease");
    return new SwapResult("/srv/farmtally/replaced-" + step.runKey(), false);
  }

  @Override
  public String startApp(ApplicationConfig application) {
    call("startApp");
    return "pm2 restart farmtally (was stopped)";
  }

  @Override
  public HealthResult verifyHealth(ApplicationConfig application) {
    call("verifyHealth");
    return new HealthResult(true, List.of("200 http://127.0.0.1:3300/api/health"), "r1");
  }

  @Override
  public StoredReport storeReport(StoreReportRequest request) {
    calls.add("storeReport");
    reports.add(request.report());
    stored.add(request);
    return request.offsite() == null
        ? new StoredReport("reports/application-rollback/x/report.json", "x.md", "x.html")
        : new StoredReport("reports/application-rollback/x/report.json", "x.md", "x.html",
            offsiteProblem == null, offsiteProblem);
  }
}
