package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.Map;

/**
 * Everything a server recovery needs, resolved from the config by the CLI. Secrets stay names.
 *
 * @param target the server recovered onto
 * @param database production's entry of the database restored (its name keys the archive)
 * @param application production's entry of the application restored
 * @param rtoMinutes targets.serverRtoMinutes: the whole run, people included, is measured
 * @param databaseRtoMinutes targets.databaseRtoMinutes, for the database child workflow
 * @param previousStepMillis each step's duration in the previous successful recovery onto
 *     this target (its stored report), for the projected finish; empty when there is none
 * @param source the name of {@code repository} ({@code primary}, {@code offsite}); null in
 *     requests recorded before it existed (the primary)
 * @param databaseTarget where the database's recovery stops: a restore point's
 *     ({@code --to-point}); null: the latest (requests recorded before it existed)
 * @param applicationBackupId the application backup restored (a restore point's); null: the
 *     newest one
 * @param items every database and application the target restores, with its priority
 *     ({@link RestorePlan}); null in requests recorded before issue 17 and in drills: the
 *     database, then the application
 * @param reportsOffsite the offsite bucket the run's report (and its database recoveries'
 *     reports) are copied to as soon as they are stored; null: none (no offsite configured, a
 *     recovery reading from the offsite, a drill's recovery, requests recorded before it)
 */
public record ServerRecoveryRequest(
    ServerTargetConfig target,
    DatabaseConfig database,
    ApplicationConfig application,
    RepositoryConfig repository,
    int rtoMinutes,
    int databaseRtoMinutes,
    String estate,
    RetryConfig retry,
    NotificationTarget notifications,
    Map<String, Long> previousStepMillis,
    String source,
    io.lifeboat.config.ApprovalsConfig approvals,
    io.lifeboat.recover.db.RecoveryTarget databaseTarget,
    String applicationBackupId,
    java.util.List<RestoreItem> items,
    io.lifeboat.config.OffsiteConfig reportsOffsite) {

  public static final java.util.List<String> STEPS = java.util.List.of("provision", "configure",
      "database", "application", "services", "dns", "tls", "health");

  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, null, null);
  }

  /** The shape before approver lists (issue 22): anyone may approve. */
  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis, String source) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, previousStepMillis, source, null, null, null);
  }

  /** The shape before restore points (issue 22): the latest state, the newest release. */
  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis, String source,
      io.lifeboat.config.ApprovalsConfig approvals) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, previousStepMillis, source, approvals, null, null);
  }

  /** The shape before priorities (issue 17): the one database, then the one application. */
  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis, String source,
      io.lifeboat.config.ApprovalsConfig approvals,
      io.lifeboat.recover.db.RecoveryTarget databaseTarget, String applicationBackupId) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, previousStepMillis, source, approvals, databaseTarget,
        applicationBackupId, null);
  }

  /** The shape before the report's offsite copy (issue 22): no offsite copy. */
  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis, String source,
      io.lifeboat.config.ApprovalsConfig approvals,
      io.lifeboat.recover.db.RecoveryTarget databaseTarget, String applicationBackupId,
      java.util.List<RestoreItem> items) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, previousStepMillis, source, approvals, databaseTarget,
        applicationBackupId, items, null);
  }

  /** The same, copying its reports to {@code offsite} as soon as they are stored. */
  public ServerRecoveryRequest withReportsOffsite(io.lifeboat.config.OffsiteConfig offsite) {
    return new ServerRecoveryRequest(target, database, application, repository, rtoMinutes,
        databaseRtoMinutes, estate, retry, notifications, previousStepMillis, source, approvals,
        databaseTarget, applicationBackupId, items, offsite);
  }

  /** The same, restoring {@code all} in the order of their priority. */
  public ServerRecoveryRequest withItems(java.util.List<RestoreItem> all) {
    return new ServerRecoveryRequest(target, database, application, repository, rtoMinutes,
        databaseRtoMinutes, estate, retry, notifications, previousStepMillis, source, approvals,
        databaseTarget, applicationBackupId, all, reportsOffsite);
  }

  /** The same, back to a restore point: its database target and its application backup. */
  public ServerRecoveryRequest toPoint(io.lifeboat.recover.db.RecoveryTarget point,
      String appBackupId) {
    return new ServerRecoveryRequest(target, database, application, repository, rtoMinutes,
        databaseRtoMinutes, estate, retry, notifications, previousStepMillis, source, approvals,
        point, appBackupId, items, reportsOffsite);
  }

  /** The same, with who may approve its human steps ({@code approvals:}). */
  public ServerRecoveryRequest withApprovals(io.lifeboat.config.ApprovalsConfig a) {
    return new ServerRecoveryRequest(target, database, application, repository, rtoMinutes,
        databaseRtoMinutes, estate, retry, notifications, previousStepMillis, source, a,
        databaseTarget, applicationBackupId, items, reportsOffsite);
  }

  /** The same, with the previous successful run's step durations (for the projection). */
  public ServerRecoveryRequest withPreviousSteps(Map<String, Long> millis) {
    return new ServerRecoveryRequest(target, database, application, repository, rtoMinutes,
        databaseRtoMinutes, estate, retry, notifications, millis, source, approvals,
        databaseTarget, applicationBackupId, items, reportsOffsite);
  }

  public ServerRecoveryRequest {
    previousStepMillis = previousStepMillis != null ? Map.copyOf(previousStepMillis) : Map.of();
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
    approvals = approvals != null ? approvals : io.lifeboat.config.ApprovalsConfig.NONE;
    items = items == null ? null : java.util.List.copyOf(items);
  }

  /**
   * The database child's request: from the same repository, and, when that is not the
   * primary, with archiving off unless the target's settings say where it goes
   * ({@link io.lifeboat.recover.db.RecoveryRequest#withoutArchivingUnlessConfigured}).
   */
  public io.lifeboat.recover.db.RecoveryRequest databaseRequest(DatabaseConfig onTarget) {
    return new io.lifeboat.recover.db.RecoveryRequest(
        io.lifeboat.recover.db.RecoveryRequest.withoutArchivingUnlessConfigured(onTarget, source),
        repository, databaseTarget != null ? databaseTarget
            : io.lifeboat.recover.db.RecoveryTarget.latest(), databaseRtoMinutes, estate,
        retry, null, null, source, reportsOffsite); // no notifications of its own
  }

  /**
   * Another database of the target (not its own {@code database:}): its latest state, since a
   * restore point ({@code --to-point}) names a position in the target's own database only.
   */
  public io.lifeboat.recover.db.RecoveryRequest latestDatabaseRequest(DatabaseConfig onTarget) {
    return new io.lifeboat.recover.db.RecoveryRequest(
        io.lifeboat.recover.db.RecoveryRequest.withoutArchivingUnlessConfigured(onTarget, source),
        repository, io.lifeboat.recover.db.RecoveryTarget.latest(), databaseRtoMinutes, estate,
        retry, null, null, source, reportsOffsite);
  }
}
