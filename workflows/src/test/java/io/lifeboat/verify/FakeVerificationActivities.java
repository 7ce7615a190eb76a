package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-in verifier and notifier activities: records calls in order; databases listed as
 * corrupt fail the integrity check, as a flipped byte would; databases with no backups have no
 * manifest; a failing channel fails every attempt.
 */
final class FakeVerificationActivities implements DatabaseVerificationActivities,
    NotificationActivities {
  static final String SHA = "ab".repeat(32);

  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<RecordRequest> records = new CopyOnWriteArrayList<>();
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final List<ScratchDatabase> dropped = new CopyOnWriteArrayList<>();
  final Map<String, Integer> deliveryAttempts = new ConcurrentHashMap<>();
  Set<String> corrupt = Set.of();
  Set<String> empty = Set.of();
  Set<String> restoreFails = Set.of();
  Set<String> failingChannels = Set.of();
  long validationValue = 10;
  volatile boolean blockRestore;
  final java.util.concurrent.CountDownLatch restoring = new java.util.concurrent.CountDownLatch(1);

  @Override
  public NewestBackup findNewest(RepositoryConfig repository, DatabaseConfig database) {
    calls.add("findNewest " + database.name());
    if (empty.contains(database.name())) return new NewestBackup(null);
    String id = "20261121T020000Z";
    return new NewestBackup(new BackupManifest(1, id, "db-full", database.name(), "h:1", "15",
        "2026-11-21T02:00:00Z", "2026-11-21T02:01:00Z", 1000, 100, SHA, "zstd", 
        RepositoryLayout.dumpKey(repository.prefix(), database.name(), id), null, "STANDARD",
        "none", Map.of(), "ok", "backup-db-" + database.name()));
  }

  @Override
  public IntegrityResult checkIntegrity(DumpTarget target) {
    String db = target.manifest().database();
    calls.add("checkIntegrity " + db);
    if (corrupt.contains(db)) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + target.manifest().objectKey()
          + " does not match its manifest: sha256 00, expected " + SHA);
    }
    return new IntegrityResult(SHA, 100, 1000, 42);
  }

  /** Restores in flight now and at most (issue 21's parallel verification); a restore's time. */
  final java.util.concurrent.atomic.AtomicInteger inRestore = new java.util.concurrent.atomic.AtomicInteger();
  final java.util.concurrent.atomic.AtomicInteger maxInRestore = new java.util.concurrent.atomic.AtomicInteger();
  volatile long restoreMillis;

  @Override
  public RestoreCheckResult restoreAndValidate(RestoreCheckRequest request) {
    maxInRestore.accumulateAndGet(inRestore.incrementAndGet(), Math::max);
    try {
      if (restoreMillis > 0) Thread.sleep(restoreMillis);
      return restore(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      inRestore.decrementAndGet();
    }
  }

  private RestoreCheckResult restore(RestoreCheckRequest request) {
    calls.add("restoreAndValidate " + request.database().name() + " " + request.scratchDatabase());
    restoring.countDown();
    while (blockRestore) {
      // heartbeats, so the workflow's cancel reaches this activity
      io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (restoreFails.contains(request.database().name())) {
      throw FailureKind.RESTORE_TEST_FAILED.failure("pg_restore failed: relation exists");
    }
    return new RestoreCheckResult(5, request.database().validation().stream()
        .map(q -> new RestoreCheckResult.QueryResult(q.name(), q.sql(),
            String.valueOf(validationValue), q.minimum(),
            q.minimum() == null || validationValue >= q.minimum()))
        .toList());
  }

  @Override
  public void dropScratch(ScratchDatabase scratch) {
    calls.add("dropScratch " + scratch.name());
    dropped.add(scratch);
  }

  @Override
  public String recordVerification(RecordRequest request) {
    calls.add("recordVerification " + request.record().source());
    records.add(request);
    return RepositoryLayout.verificationKey(request.repository().prefix(),
        request.record().source(), request.record().backupId(), request.verifiedAtMillis());
  }

  @Override
  public void deliver(Delivery delivery) {
    deliveryAttempts.merge(delivery.channel(), 1, Integer::sum);
    if (failingChannels.contains(delivery.channel())) {
      throw FailureKind.NOTIFY_FAILED.failure("connection refused");
    }
    deliveries.add(delivery);
  }
}
