package io.lifeboat.backup.config;

import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

public record ConfigurationBackupRequest(
    String estate, ConfigurationBackupConfig configuration, RepositoryConfig repository,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite) {

  public ConfigurationBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without an offsite copy: the shape before issue #8. */
  public ConfigurationBackupRequest(String estate, ConfigurationBackupConfig configuration,
      RepositoryConfig repository, RetryConfig retry) {
    this(estate, configuration, repository, retry, null);
  }
}
