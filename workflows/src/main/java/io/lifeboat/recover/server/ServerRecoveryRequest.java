package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.notify.NotificationTarget;

/**
 * Everything a server recovery needs, resolved from the config by the CLI. Secrets stay names.
 *
 * @param target the server recovered onto
 * @param database production's entry of the database restored (its name keys the archive)
 * @param application production's entry of the application restored
 * @param rtoMinutes targets.serverRtoMinutes: the whole run, people included, is measured
 * @param databaseRtoMinutes targets.databaseRtoMinutes, for the database child workflow
 * @param source the name of {@code repository} ({@code primary}, {@code offsite}); null in
 *     requests recorded before it existed (the primary)
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
    String source) {

  public ServerRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** A recovery from the primary repository (the shape before {@code source}). */
  public ServerRecoveryRequest(ServerTargetConfig target, DatabaseConfig database,
      ApplicationConfig application, RepositoryConfig repository, int rtoMinutes,
      int databaseRtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications) {
    this(target, database, application, repository, rtoMinutes, databaseRtoMinutes, estate,
        retry, notifications, null);
  }

  /**
   * The database child's request: from the same repository, and, when that is not the
   * primary, with archiving off unless the target's settings say where it goes
   * ({@link io.lifeboat.recover.db.RecoveryRequest#withoutArchivingUnlessConfigured}).
   */
  public io.lifeboat.recover.db.RecoveryRequest databaseRequest(DatabaseConfig onTarget) {
    return new io.lifeboat.recover.db.RecoveryRequest(
        io.lifeboat.recover.db.RecoveryRequest.withoutArchivingUnlessConfigured(onTarget, source),
        repository, io.lifeboat.recover.db.RecoveryTarget.latest(), databaseRtoMinutes, estate,
        retry, source);
  }
}
