package io.lifeboat.backup.app;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param reason why it runs: schedule, manual, deployment (recorded in the manifest) */
public record ApplicationBackupRequest(
    ApplicationConfig application, RepositoryConfig repository, RetryConfig retry, String reason,
    io.lifeboat.offsite.OffsiteTarget offsite) {

  public ApplicationBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }

  /** Without an offsite copy: the shape before issue #8. */
  public ApplicationBackupRequest(ApplicationConfig application, RepositoryConfig repository,
      RetryConfig retry, String reason) {
    this(application, repository, retry, reason, null);
  }
}
