package io.lifeboat.recover.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param targetMillis a point in time (UTC millis): the newest backup before it, then the
 *     archived binlogs replayed up to it; null: the backup alone
 */
public record MariaDbRecoveryRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    String backupId, Long targetMillis, RetryConfig retry) {
  public MariaDbRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
