package io.lifeboat.backup.bacula;

import io.lifeboat.config.BaculaConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param reason why it runs: manual or schedule (also the job's comment in Bacula) */
public record BaculaBackupRequest(BaculaConfig bacula, String estate, RepositoryConfig repository,
    RetryConfig retry, String reason) {
  public BaculaBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }
}
