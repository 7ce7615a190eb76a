package io.lifeboat.recover.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param backupId the backup to restore; null: the newest committed one */
public record MariaDbRecoveryRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    String backupId, RetryConfig retry) {
  public MariaDbRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
