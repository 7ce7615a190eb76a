package io.lifeboat.worker;

import io.lifeboat.backup.DatabaseBackupActivitiesImpl;
import io.lifeboat.base.BaseBackupActivitiesImpl;
import io.lifeboat.workflows.base.BaseBackupWorkflowImpl;
import io.lifeboat.wal.WalCheckActivitiesImpl;
import io.lifeboat.workflows.wal.WalCheckWorkflowImpl;
import io.lifeboat.config.Secrets;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.recover.DatabaseRecoveryActivitiesImpl;
import io.lifeboat.report.ReportActivitiesImpl;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.workflows.backup.DatabaseBackupWorkflowImpl;
import io.lifeboat.workflows.recover.DatabaseRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/**
 * Registers every workflow and activity on one task queue. Sized for a small machine: a few
 * activities at once (each may run pg_dump and a compressor on several cores) and a small
 * workflow cache.
 */
public final class LifeboatWorker implements AutoCloseable {
  private final WorkerFactory factory;
  private final StoreFactory stores;

  public LifeboatWorker(WorkflowClient client, String taskQueue, Secrets secrets) {
    this.stores = new StoreFactory(secrets);
    this.factory = WorkerFactory.newInstance(client,
        WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(100).build());
    Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(4)
        .setMaxConcurrentWorkflowTaskExecutionSize(4)
        // Progress bars read heartbeat details: send them at least every second.
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
        .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
        .build());
    PgTools pg = PgTools.discover(secrets);
    // Database: nightly dumps, and recovery (dump or base backup + WAL replay).
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class,
        DatabaseRecoveryWorkflowImpl.class);
    // Server recovery onto a target (issue #6): its own activities plus the rollback's and the
    // database recovery's (as a child workflow).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.workflows.server.ServerRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        io.lifeboat.server.ServerRecoveryActivitiesImpl.create(stores, secrets, pg));
    worker.registerActivitiesImplementations(new DatabaseBackupActivitiesImpl(stores, pg),
        new DatabaseRecoveryActivitiesImpl(stores, pg));
    // Verification, repository checks and notifications.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.workflows.verify.BackupVerificationWorkflowImpl.class,
        io.lifeboat.workflows.check.RepositoryCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new io.lifeboat.verify.DatabaseVerificationActivitiesImpl(stores, pg),
        new io.lifeboat.check.RepositoryCheckActivitiesImpl(stores,
            new io.lifeboat.check.RepositoryChecker()),
        new io.lifeboat.notify.NotificationActivitiesImpl(secrets));
    // Application and configuration backups, application rollback.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.workflows.app.ApplicationBackupWorkflowImpl.class,
        io.lifeboat.workflows.app.ConfigurationBackupWorkflowImpl.class,
        io.lifeboat.workflows.app.ApplicationRollbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new io.lifeboat.app.ArchiveActivitiesImpl(stores),
        io.lifeboat.app.RollbackActivitiesImpl.create(stores, secrets));
    // DR drills (issue #6): restore tests into isolated targets, with approvals.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.workflows.drill.DrillWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        io.lifeboat.drill.DrillActivitiesImpl.create(stores, secrets));
    // Reports of recoveries, rollbacks and drills.
    worker.registerActivitiesImplementations(new ReportActivitiesImpl(stores));
    // Base backups and the WAL archive check (point-in-time recovery's inputs).
    worker.registerWorkflowImplementationTypes(BaseBackupWorkflowImpl.class, WalCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BaseBackupActivitiesImpl(stores, pg, secrets),
        new WalCheckActivitiesImpl(stores, pg));
  }

  public LifeboatWorker start() {
    factory.start();
    return this;
  }

  @Override
  public void close() {
    try {
      factory.shutdown();
      factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      stores.close();
    }
  }
}
