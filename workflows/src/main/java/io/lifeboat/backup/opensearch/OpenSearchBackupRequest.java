package io.lifeboat.backup.opensearch;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** Everything an OpenSearch backup needs, resolved from the config; secrets stay names. */
public record OpenSearchBackupRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone) {
  public OpenSearchBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
