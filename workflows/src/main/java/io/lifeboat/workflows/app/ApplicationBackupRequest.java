package io.lifeboat.workflows.app;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param reason why it runs: schedule, manual, deployment (recorded in the manifest) */
public record ApplicationBackupRequest(
    ApplicationConfig application, RepositoryConfig repository, RetryConfig retry, String reason) {

  public ApplicationBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }
}
