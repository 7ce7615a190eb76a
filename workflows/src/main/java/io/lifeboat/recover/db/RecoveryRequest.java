package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.Map;

/**
 * Everything a recovery needs, resolved from the config by the CLI. Secrets stay names.
 *
 * @param rtoMinutes the promise this run is measured against (targets.databaseRtoMinutes)
 * @param estate for the report
 * @param notifications where started, status, finished and failed go; NONE for a recovery run
 *     as a part of another (a server recovery's database, a drill)
 * @param previousStepMillis each step's duration in the previous successful recovery of this
 *     database (its stored report), for the projected finish; empty when there is none
 */
public record RecoveryRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    RecoveryTarget target,
    int rtoMinutes,
    String estate,
    RetryConfig retry,
    NotificationTarget notifications,
    Map<String, Long> previousStepMillis) {

  public RecoveryRequest(DatabaseConfig database, RepositoryConfig repository,
      RecoveryTarget target, int rtoMinutes, String estate, RetryConfig retry) {
    this(database, repository, target, rtoMinutes, estate, retry, null, null);
  }

  /** The same, with the previous successful run's step durations (for the projection). */
  public RecoveryRequest withPreviousSteps(Map<String, Long> millis) {
    return new RecoveryRequest(database, repository, target, rtoMinutes, estate, retry,
        notifications, millis);
  }

  public RecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
    previousStepMillis = previousStepMillis != null ? Map.copyOf(previousStepMillis) : Map.of();
    target = target != null ? target : RecoveryTarget.latest();
  }
}
