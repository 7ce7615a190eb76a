package io.lifeboat.recover.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param targetMillis a point in time (UTC millis): the newest backup before it, then the
 *     archived binlogs replayed up to it; null: the backup alone
 * @param notifications where started, finished and failed go (none: nothing is sent)
 * @param timing the RTO, estate and offsite the run is timed and reported with; null (an older
 *     CLI): no clock and no report, as before
 */
public record MariaDbRecoveryRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    String backupId, Long targetMillis, RetryConfig retry, NotificationTarget notifications,
    io.lifeboat.run.RecoveryTiming timing) {
  public MariaDbRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** The shape before notifications. */
  public MariaDbRecoveryRequest(MariaDbConfig mariadb, RepositoryConfig repository,
      String backupId, Long targetMillis, RetryConfig retry) {
    this(mariadb, repository, backupId, targetMillis, retry, null, null);
  }

  /** The shape before the RTO clock. */
  public MariaDbRecoveryRequest(MariaDbConfig mariadb, RepositoryConfig repository,
      String backupId, Long targetMillis, RetryConfig retry, NotificationTarget notifications) {
    this(mariadb, repository, backupId, targetMillis, retry, notifications, null);
  }
}
