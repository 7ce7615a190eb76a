package io.lifeboat.backup.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * What the archiver needs; carried over continue-as-new with the counters.
 *
 * @param everySeconds the pause between two passes
 * @param passes passes of earlier runs of this chain
 */
public record MariaDbBinlogArchiveRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    RetryConfig retry, int everySeconds, long passes, String lastArchived) {
  public MariaDbBinlogArchiveRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
