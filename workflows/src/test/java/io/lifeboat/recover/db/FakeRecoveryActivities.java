package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.ReportActivities;
import io.temporal.activity.Activity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every call with its attempt, can fail a method on its first N calls with a registry
 * failure. Results are derived from the requests, so the workflow's plumbing is what is tested.
 */
final class FakeRecoveryActivities implements DatabaseRecoveryActivities, ReportActivities {
  record Call(String method, int attempt, Object argument) {}

  private record Failing(FailureKind kind, int times) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Failing> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  volatile boolean pitr = true;
  volatile boolean reachable = true;
  /** Runs inside downloadBase: a test lets time pass there (the test environment's sleep). */
  volatile Runnable duringDownload = () -> {};
  /** What verify says the recovered copy's last commit is. */
  volatile VerifyReport.LastCommit lastCommit = null;

  FakeRecoveryActivities failFirst(String method, int times, FailureKind kind) {
    failures.put(method, new Failing(kind, times));
    return this;
  }

  List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  @SuppressWarnings("unchecked")
  <T> List<T> args(String method, Class<T> type) {
    return calls.stream().filter(c -> c.method().equals(method)).map(c -> (T) c.argument()).toList();
  }

  private void record(String method, Object arg) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    calls.add(new Call(method, attempt, arg));
    Failing f = failures.get(method);
    int n = counts.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    if (f != null && n <= f.times()) {
      throw f.kind().failure(method + " failed (fake, call " + n + ")");
    }
  }

  @Override
  public RecoveryPlan plan(PlanRequest request) {
    record("plan", request);
    return pitr
        ? new RecoveryPlan(RecoveryPlan.PITR, "20261121T030000Z",
            "it/db/farmtally_production/base/20261121T030000Z/base.tar.zst", 1234,
            "2026-11-21T03:01:00Z", "000000010000000000000003", "000000010000000000000009",
            "2026-11-21T09:30:00Z", "/var/lib/postgresql/15/main", 1)
        : new RecoveryPlan(RecoveryPlan.DUMP, "20261121T020000Z",
            "it/db/farmtally_production/full/20261121T020000Z/dump.pgc.zst", 999,
            "2026-11-21T02:03:00Z", null, null, null, null, 0);
  }

  @Override
  public ClusterFacts assess(DatabaseConfig database) {
    record("assess", database);
    return reachable ? new ClusterFacts(true, "15.18", 1 << 20, "/srv/pg/data", null)
        : new ClusterFacts(false, null, 0, null, "connection refused");
  }

  @Override
  public ScratchCluster prepareScratch(PitrRequest request) {
    record("prepareScratch", request);
    String d = request.cluster().dataDirectory();
    return new ScratchCluster(d, d + ".lifeboat-new-" + request.recoveryId(),
        d + ".lifeboat-" + request.recoveryId(), 61234);
  }

  @Override
  public void downloadBase(PitrRequest request) {
    record("downloadBase", request);
    duringDownload.run();
  }

  @Override
  public ReplayResult replay(PitrRequest request) {
    record("replay", request);
    return new ReplayResult("0/9000100", 2, 7, "recovery stopping before commit of transaction 742");
  }

  @Override
  public VerifyReport verify(VerifyRequest request) {
    record("verify", request);
    return new VerifyReport(List.of(new VerifyReport.Check("tallies present", "5000", "at least 1")),
        lastCommit);
  }

  @Override
  public SwapResult swapDataDirectory(PitrRequest request) {
    record("swapDataDirectory", request);
    String d = request.cluster().dataDirectory();
    return new SwapResult(d + ".lifeboat-replaced-" + request.recoveryId(), d);
  }

  @Override
  public void discardScratch(PitrRequest request) {
    record("discardScratch", request);
  }

  @Override
  public void restoreDump(DumpRestoreRequest request) {
    record("restoreDump", request);
  }

  @Override
  public SwapResult swapDatabase(DumpRestoreRequest request) {
    record("swapDatabase", request);
    return new SwapResult(request.scratchDatabase().replace("_lb_", "_replaced_"),
        request.database().name());
  }

  @Override
  public void discardScratchDatabase(DumpRestoreRequest request) {
    record("discardScratchDatabase", request);
  }

  @Override
  public String stopApplication(ApplicationRequest request) {
    record("stopApplication", request);
    return "no application configured; nothing to stop";
  }

  @Override
  public String startApplication(ApplicationRequest request) {
    record("startApplication", request);
    return "no application configured; nothing to start";
  }

  @Override
  public String healthCheck(ApplicationRequest request) {
    record("healthCheck", request);
    return "SELECT 1 answers";
  }

  @Override
  public StoredReport storeReport(StoreReportRequest request) {
    record("storeReport", request);
    return new StoredReport("reports/" + request.report().workflowId() + ".json",
        "reports/" + request.report().workflowId() + ".md",
        "reports/" + request.report().workflowId() + ".html");
  }
}
