package io.lifeboat.recover.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param indices the indices of the backup to restore; empty: all of them
 * @param notifications where started, finished and failed go (none: nothing is sent)
 * @param timing the RTO, estate and offsite the run is timed and reported with; null (an older
 *     CLI): no clock and no report, as before
 */
public record OpenSearchRecoveryRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    String backupId, List<String> indices, RetryConfig retry, NotificationTarget notifications,
    io.lifeboat.run.RecoveryTiming timing) {
  public OpenSearchRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    indices = indices == null ? List.of() : List.copyOf(indices);
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** The shape before notifications. */
  public OpenSearchRecoveryRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
      String backupId, List<String> indices, RetryConfig retry) {
    this(opensearch, repository, backupId, indices, retry, null, null);
  }

  /** The shape before the RTO clock. */
  public OpenSearchRecoveryRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
      String backupId, List<String> indices, RetryConfig retry,
      NotificationTarget notifications) {
    this(opensearch, repository, backupId, indices, retry, notifications, null);
  }
}
