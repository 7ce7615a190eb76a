package io.lifeboat.drill;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.rollback.AppState;
import io.lifeboat.rollback.HealthResult;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.lifeboat.rollback.SwapResult;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.lifeboat.verify.DatabaseVerificationActivities;
import io.lifeboat.verify.DumpTarget;
import io.lifeboat.verify.IntegrityResult;
import io.lifeboat.verify.NewestBackup;
import io.lifeboat.verify.RecordRequest;
import io.lifeboat.verify.RestoreCheckRequest;
import io.lifeboat.verify.RestoreCheckResult;
import io.lifeboat.verify.ScratchDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every activity a drill calls, recording the calls in order; failures on request. */
final class FakeDrillActivities implements DatabaseVerificationActivities, RollbackActivities,
    DrillActivities, ReportActivities, NotificationActivities {
  static final String SHA = "cd".repeat(32);
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<RunReport> reports = new CopyOnWriteArrayList<>();
  final List<Delivery> sent = new CopyOnWriteArrayList<>();
  volatile boolean restoreFails;
  volatile boolean healthFails;
  volatile boolean restoreHangs;
  final java.util.concurrent.CountDownLatch restoring = new java.util.concurrent.CountDownLatch(1);

  @Override
  public NewestBackup findNewest(RepositoryConfig repository, DatabaseConfig database) {
    calls.add("findNewest " + database.name());
    return new NewestBackup(new BackupManifest(1, "20261121T020000Z", "db-full", database.name(),
        "h:1", "15", "2026-11-21T02:00:00Z", "2026-11-21T02:01:00Z", 1000, 100, SHA, "zstd",
        "k/dump.pgc.zst", null, "STANDARD", "none", Map.of(), "ok", "backup-db"));
  }

  @Override
  public IntegrityResult checkIntegrity(DumpTarget target) {
    calls.add("checkIntegrity");
    return new IntegrityResult(SHA, 100, 1000, 42);
  }

  @Override
  public RestoreCheckResult restoreAndValidate(RestoreCheckRequest request) {
    calls.add("restore " + request.scratchDatabase());
    if (restoreHangs) {
      restoring.countDown();
      try {
        Thread.sleep(60_000); // until the test ends; the workflow stops waiting on cancel
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (restoreFails) {
      throw FailureKind.RESTORE_TEST_FAILED.failure("pg_restore exited 1: relation exists");
    }
    return new RestoreCheckResult(3, List.of(
        new RestoreCheckResult.QueryResult("users present", "select 1", "7", 1L, true)));
  }

  @Override
  public void dropScratch(ScratchDatabase scratch) {
    calls.add("drop " + scratch.name());
  }

  @Override
  public String recordVerification(RecordRequest request) {
    throw new UnsupportedOperationException("a drill records no verification");
  }

  @Override
  public AppState identify(ApplicationConfig application) {
    throw new UnsupportedOperationException("a drill never looks at the running app");
  }

  @Override
  public StagedRelease stageRelease(StageRequest request) {
    calls.add("stage " + request.application().releaseRoot());
    return new StagedRelease("backup 20261121T030000Z-1a2b3c4d", "20261121T030000Z-1a2b3c4d",
        "abc123", request.application().releaseRoot() + "/.staging", 12);
  }

  @Override
  public void installDependencies(ReleaseStep step) {
    calls.add("npm ci");
  }

  @Override
  public String stopApp(ApplicationConfig application) {
    throw new UnsupportedOperationException("a drill never stops an app");
  }

  @Override
  public SwapResult swapRelease(ReleaseStep step) {
    calls.add("place " + step.application().releaseRoot());
    return new SwapResult(null, false);
  }

  @Override
  public String startApp(ApplicationConfig application) {
    throw new UnsupportedOperationException("a drill starts its scratch copy only");
  }

  @Override
  public HealthResult verifyHealth(ApplicationConfig application) {
    calls.add("health " + application.healthUrl());
    if (healthFails) throw FailureKind.APP_UNHEALTHY.failure("503 from " + application.healthUrl());
    return new HealthResult(true, List.of(application.healthUrl() + " 200"), "abc123");
  }

  @Override
  public ApplicationConfig prepareScratchApp(ScratchAppRequest request) {
    calls.add("prepare " + request.pm2Name());
    ApplicationConfig p = request.production();
    return new ApplicationConfig(p.name(), request.root(), request.pm2Name(), null, null,
        DrillTargets.onPort(p.healthUrl(), request.port()), List.of(), null, null, null);
  }

  @Override
  public String startScratchApp(ScratchAppRequest request) {
    calls.add("start " + request.pm2Name());
    return "pm2 start";
  }

  @Override
  public String removeScratchApp(ScratchAppRequest request) {
    calls.add("remove " + request.pm2Name());
    return "removed";
  }

  @Override
  public ReportCheck checkReport(CheckReportRequest request) {
    calls.add("checkReport");
    return new ReportCheck(true, "read back " + request.stored().jsonKey());
  }

  @Override
  public StoredReport storeReport(StoreReportRequest request) {
    calls.add("storeReport");
    reports.add(request.report());
    return new StoredReport("r/report.json", "r/report.md", "r/report.html");
  }

  @Override
  public void deliver(Delivery delivery) {
    sent.add(delivery);
  }

  @Override
  public String resetServerTarget(io.lifeboat.config.ServerTargetConfig target) {
    calls.add("reset " + target.name());
    return "removed " + target.root();
  }
}
