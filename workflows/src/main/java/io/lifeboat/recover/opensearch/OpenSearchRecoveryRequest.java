package io.lifeboat.recover.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import java.util.List;

/**
 * @param backupId the backup to restore; null: the newest committed one
 * @param indices the indices of the backup to restore; empty: all of them
 */
public record OpenSearchRecoveryRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    String backupId, List<String> indices, RetryConfig retry) {
  public OpenSearchRecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    indices = indices == null ? List.of() : List.copyOf(indices);
  }
}
