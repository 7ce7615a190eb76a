package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * @param toBackupId a backup in the repository to roll back to; null means the local previous/
 *     release (the seed's Scenario 3), or the newest stored backup when there is no previous/
 * @param rtoMinutes the application RTO (targets.applicationRtoMinutes, the seed's 15)
 */
public record ApplicationRollbackRequest(
    String estate,
    ApplicationConfig application,
    RepositoryConfig repository,
    String toBackupId,
    int rtoMinutes,
    RetryConfig retry) {

  public ApplicationRollbackRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    rtoMinutes = rtoMinutes > 0 ? rtoMinutes : 15;
  }
}
