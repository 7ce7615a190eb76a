package io.lifeboat.backup.opensearch;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** Everything an OpenSearch backup needs, resolved from the config; secrets stay names. */
public record OpenSearchBackupRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications) {
  public OpenSearchBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public OpenSearchBackupRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone) {
    this(opensearch, repository, compression, retentionDays, retry, retentionKeep, retentionZone, null);
  }
}
