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
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new DatabaseBackupActivitiesImpl(stores, PgTools.discover(secrets)),
        new ReportActivitiesImpl(stores));
    worker.registerActivitiesImplementations(
        new DatabaseRecoveryActivitiesImpl(stores, PgTools.discover(secrets)));
    worker.registerWorkflowImplementationTypes(BaseBackupWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new BaseBackupActivitiesImpl(stores, PgTools.discover(secrets), secrets));
    worker.registerWorkflowImplementationTypes(WalCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new WalCheckActivitiesImpl(stores, PgTools.discover(secrets)));
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
