package io.lifeboat.workflows.app;

import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

public record ConfigurationBackupRequest(
    String estate, ConfigurationBackupConfig configuration, RepositoryConfig repository,
    RetryConfig retry) {

  public ConfigurationBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
