package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;
import java.util.Map;

/**
 * @param toBackupId a backup in the repository to roll back to; null means the local previous/
 *     release (the seed's Scenario 3), or the newest stored backup when there is no previous/
 * @param rtoMinutes the application RTO (targets.applicationRtoMinutes, the seed's 15)
 * @param notifications where started, finished and failed go; NONE inside a drill
 * @param previousStepMillis step durations of the previous successful rollback, or empty
 * @param reportsOffsite the offsite bucket the run's report is copied to as soon as it is
 *     stored; null: none (no offsite configured, a drill's rollback, requests recorded before it)
 */
public record ApplicationRollbackRequest(
    String estate,
    ApplicationConfig application,
    RepositoryConfig repository,
    String toBackupId,
    int rtoMinutes,
    RetryConfig retry,
    NotificationTarget notifications,
    Map<String, Long> previousStepMillis,
    io.lifeboat.config.OffsiteConfig reportsOffsite) {

  public static final List<String> STEPS = List.of("identify", "stage-release",
      "install-dependencies", "stop-app", "swap-release", "start-app", "verify-health");

  public ApplicationRollbackRequest(String estate, ApplicationConfig application,
      RepositoryConfig repository, String toBackupId, int rtoMinutes, RetryConfig retry) {
    this(estate, application, repository, toBackupId, rtoMinutes, retry, null, null, null);
  }

  /** The shape before the report's offsite copy (issue 22): no offsite copy. */
  public ApplicationRollbackRequest(String estate, ApplicationConfig application,
      RepositoryConfig repository, String toBackupId, int rtoMinutes, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis) {
    this(estate, application, repository, toBackupId, rtoMinutes, retry, notifications,
        previousStepMillis, null);
  }

  public ApplicationRollbackRequest {
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
    previousStepMillis = previousStepMillis != null ? Map.copyOf(previousStepMillis) : Map.of();
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    rtoMinutes = rtoMinutes > 0 ? rtoMinutes : 15;
  }
}
