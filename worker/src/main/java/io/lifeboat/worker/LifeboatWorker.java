package io.lifeboat.worker;

import io.lifeboat.backup.dump.DatabaseBackupActivitiesImpl;
import io.lifeboat.backup.base.BaseBackupActivitiesImpl;
import io.lifeboat.backup.base.BaseBackupWorkflowImpl;
import io.lifeboat.wal.WalCheckActivitiesImpl;
import io.lifeboat.wal.WalCheckWorkflowImpl;
import io.lifeboat.config.Secrets;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.recover.db.DatabaseRecoveryActivitiesImpl;
import io.lifeboat.run.ReportActivitiesImpl;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.backup.dump.DatabaseBackupWorkflowImpl;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.lifeboat.host.ActivityPlacement;
import java.time.Duration;
import java.util.List;

/**
 * The control worker registers every workflow and activity on the main task queue; an agent
 * ({@link #agent}) only the host-bound activities on its host's queue. Sized by the config's
 * {@code worker:} section (issue 21; defaults for a small machine): a few activities at once on
 * the main queue, and the long dump and verification streams (each may run pg_dump and a
 * compressor on several cores) on {@code <queue>-bulk} with slots of their own, so many dumps
 * never take the slots a recovery or the WAL steps need.
 */
public final class LifeboatWorker implements AutoCloseable {
  private final WorkerFactory factory;
  private final StoreFactory stores;
  private final io.lifeboat.offsite.OffsiteActivitiesImpl offsite;

  public LifeboatWorker(WorkflowClient client, String taskQueue, Secrets secrets) {
    this(client, taskQueue, secrets, new io.temporal.common.interceptors.WorkerInterceptor[0]);
  }

  /** With interceptors: the fault suite's worker holds a step to kill it at a boundary. */
  public LifeboatWorker(WorkflowClient client, String taskQueue, Secrets secrets,
      io.temporal.common.interceptors.WorkerInterceptor... interceptors) {
    this(client, taskQueue, secrets, null, io.lifeboat.config.WorkerConfig.DEFAULT, interceptors);
  }

  /** Sized by the config's {@code worker:} section (issue 21). */
  public LifeboatWorker(WorkflowClient client, String taskQueue, Secrets secrets,
      io.lifeboat.config.WorkerConfig sizing) {
    this(client, taskQueue, secrets, null, sizing,
        new io.temporal.common.interceptors.WorkerInterceptor[0]);
  }

  /**
   * The agent of one host (issue 17): polls only {@code hostQueue} and registers only the
   * activity implementations with a host-bound part ({@link ActivityPlacement}); no workflows.
   * Its identity, shown in every history, names the host: {@code agent@HOST/PID}.
   */
  public static LifeboatWorker agent(WorkflowClient client, String hostQueue, String host,
      Secrets secrets) {
    return new LifeboatWorker(client, hostQueue, secrets, host,
        io.lifeboat.config.WorkerConfig.DEFAULT,
        new io.temporal.common.interceptors.WorkerInterceptor[0]);
  }

  /** As {@link #agent}, with interceptors: the fault suite's agent holds a step to kill it. */
  public static LifeboatWorker agent(WorkflowClient client, String hostQueue, String host,
      Secrets secrets, io.temporal.common.interceptors.WorkerInterceptor... interceptors) {
    return new LifeboatWorker(client, hostQueue, secrets, host,
        io.lifeboat.config.WorkerConfig.DEFAULT, interceptors);
  }

  /** The identity an agent polls with. */
  public static String agentIdentity(String host) {
    return "agent@" + host + "/" + ProcessHandle.current().pid();
  }

  private LifeboatWorker(WorkflowClient client, String taskQueue, Secrets secrets,
      String agentHost, io.lifeboat.config.WorkerConfig sizing,
      io.temporal.common.interceptors.WorkerInterceptor... interceptors) {
    this.stores = new StoreFactory(secrets);
    this.factory = WorkerFactory.newInstance(client,
        WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(sizing.workflowCacheSize())
            .setWorkerInterceptors(interceptors).build());
    WorkerOptions.Builder options = WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(sizing.activitySlots())
        .setMaxConcurrentWorkflowTaskExecutionSize(sizing.workflowTaskSlots())
        // Progress bars read heartbeat details: send them at least every second.
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
        .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1));
    if (agentHost != null) options.setIdentity(agentIdentity(agentHost));
    Worker worker = factory.newWorker(taskQueue, options.build());
    PgTools pg = PgTools.discover(secrets);
    this.offsite = new io.lifeboat.offsite.OffsiteActivitiesImpl(stores, secrets);
    List<Object> activities = activityImplementations(client, stores, secrets, pg, offsite);
    // Every activity says where it runs, or the worker does not start.
    activities.forEach(ActivityPlacement::requireClassified);
    if (agentHost != null) {
      worker.registerActivitiesImplementations(
          activities.stream().filter(ActivityPlacement::agentRegisters).toArray());
      return;
    }
    // Database: nightly dumps, and recovery (dump or base backup + WAL replay).
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class,
        DatabaseRecoveryWorkflowImpl.class);
    // Server recovery onto a target (issue #6): its own activities plus the rollback's and the
    // database recovery's (as a child workflow).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.recover.server.ServerRecoveryWorkflowImpl.class);
    // Verification and repository checks.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.verify.BackupVerificationWorkflowImpl.class,
        io.lifeboat.check.RepositoryCheckWorkflowImpl.class);
    // Application and configuration backups, application rollback.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.app.ApplicationBackupWorkflowImpl.class,
        io.lifeboat.backup.config.ConfigurationBackupWorkflowImpl.class,
        io.lifeboat.rollback.ApplicationRollbackWorkflowImpl.class);
    // DR drills (issue #6): restore tests into isolated targets, with approvals.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.drill.DrillWorkflowImpl.class);
    // Base backups and the WAL archive check (point-in-time recovery's inputs).
    worker.registerWorkflowImplementationTypes(BaseBackupWorkflowImpl.class, WalCheckWorkflowImpl.class);
    // The offsite copy (3-2-1, issue #8): a child of each backup, and `lifeboat offsite sync`.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.offsite.OffsiteCopyWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.redis.RedisBackupWorkflowImpl.class,
        io.lifeboat.recover.redis.RedisRecoveryWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.mariadb.MariaDbBackupWorkflowImpl.class,
        io.lifeboat.recover.mariadb.MariaDbRecoveryWorkflowImpl.class,
        io.lifeboat.backup.mariadb.MariaDbBinlogArchiveWorkflowImpl.class);
    // File trees backed up by an engine (issue 20).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.files.FilesBackupWorkflowImpl.class);
    // Jobs of an existing Bacula Director through bconsole (issue 20).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.bacula.BaculaBackupWorkflowImpl.class);
    // OpenSearch / Elasticsearch snapshots (issue 19).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.backup.opensearch.OpenSearchBackupWorkflowImpl.class,
        io.lifeboat.recover.opensearch.OpenSearchRecoveryWorkflowImpl.class);
    // Recovery readiness (issue 18): every recovery path checked on a schedule.
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.readiness.ReadinessWorkflowImpl.class);
    // Restore points across the estate (issue 22).
    worker.registerWorkflowImplementationTypes(
        io.lifeboat.snapshot.RestorePointWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.toArray());
    // Issue 21: the bulk queue, its own slots; the workflows route dump and verification
    // streams there (BulkQueue) once this process says it serves it.
    factory.newWorker(io.lifeboat.run.BulkQueue.of(taskQueue), WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(sizing.bulkActivitySlots())
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
        .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1)).build())
        .registerActivitiesImplementations(activities.toArray());
    this.bulkFor = taskQueue;
  }

  /** The main queue whose bulk queue this worker serves; null for an agent. */
  private String bulkFor;

  /**
   * Every activity implementation the control worker registers (the agent a subset of them).
   * A new one goes here, and its interface into {@link ActivityPlacement}.
   */
  static List<Object> activityImplementations(WorkflowClient client, StoreFactory stores,
      Secrets secrets, PgTools pg, io.lifeboat.offsite.OffsiteActivitiesImpl offsite) {
    return List.of(
        // Server recovery onto a target (issue #6).
        io.lifeboat.recover.server.ServerRecoveryActivitiesImpl.create(stores, secrets, pg),
        // Database backups and recovery.
        new DatabaseBackupActivitiesImpl(stores, pg),
        new io.lifeboat.backup.redis.RedisBackupActivitiesImpl(stores, secrets),
        new io.lifeboat.recover.redis.RedisRecoveryActivitiesImpl(stores, secrets),
        new io.lifeboat.backup.mariadb.MariaDbBackupActivitiesImpl(stores, secrets),
        new io.lifeboat.backup.mariadb.MariaDbPhysicalActivitiesImpl(stores, secrets),
        new io.lifeboat.recover.mariadb.MariaDbRecoveryActivitiesImpl(stores, secrets),
        new io.lifeboat.recover.mariadb.MariaDbPitrActivitiesImpl(stores, secrets),
        new io.lifeboat.recover.mariadb.MariaDbPhysicalRecoveryActivitiesImpl(stores, secrets),
        new DatabaseRecoveryActivitiesImpl(stores, pg),
        // Verification, repository checks and notifications.
        new io.lifeboat.verify.DatabaseVerificationActivitiesImpl(stores, pg),
        new io.lifeboat.check.RepositoryCheckActivitiesImpl(stores,
            new io.lifeboat.check.RepositoryChecker()),
        new io.lifeboat.notify.NotificationActivitiesImpl(secrets),
        // Application and configuration backups, application rollback.
        new io.lifeboat.backup.artifact.ArchiveActivitiesImpl(stores),
        io.lifeboat.rollback.RollbackActivitiesImpl.create(stores, secrets),
        // DR drills.
        io.lifeboat.drill.DrillActivitiesImpl.create(stores, secrets),
        // Reports of recoveries, rollbacks and drills.
        // A report is copied offsite as soon as it is stored (when the run names an offsite).
        new ReportActivitiesImpl(stores, (primary, o, scope) -> offsite.copyNow(primary, o, scope)),
        // Base backups and the WAL archive check.
        new BaseBackupActivitiesImpl(stores, pg, secrets),
        new WalCheckActivitiesImpl(stores, pg),
        // Restore points (issue 22).
        new io.lifeboat.snapshot.RestorePointActivitiesImpl(stores, pg),
        // The offsite copy.
        offsite,
        // File trees with restic (issue 20).
        new io.lifeboat.backup.files.FilesActivitiesImpl(stores, secrets),
        new io.lifeboat.backup.bacula.BaculaActivitiesImpl(),
        // OpenSearch / Elasticsearch snapshots (issue 19).
        new io.lifeboat.backup.opensearch.OpenSearchBackupActivitiesImpl(stores, secrets),
        new io.lifeboat.recover.opensearch.OpenSearchRecoveryActivitiesImpl(stores, secrets),
        // Is a host's agent polling? (issue 17)
        new io.lifeboat.host.AgentActivitiesImpl(client.getWorkflowServiceStubs(),
            client.getOptions().getNamespace()),
        // Recovery readiness (issue 18).
        new io.lifeboat.readiness.ReadinessActivitiesImpl(stores, secrets));
  }

  public LifeboatWorker start() {
    factory.start();
    if (bulkFor != null) io.lifeboat.run.BulkQueue.serve(bulkFor);
    return this;
  }

  @Override
  public void close() {
    if (bulkFor != null) io.lifeboat.run.BulkQueue.withdraw(bulkFor);
    try {
      factory.shutdown();
      factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      stores.close();
      offsite.close();
    }
  }
}
