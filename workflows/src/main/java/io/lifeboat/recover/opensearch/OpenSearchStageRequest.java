package io.lifeboat.recover.opensearch;

import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.List;

/**
 * @param indices the indices to restore (checked against the manifest)
 * @param runKey names the scratch directory, repository, staged and kept indices; per run
 */
public record OpenSearchStageRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    OpenSearchManifest manifest, List<String> indices, String runKey) {

  /** The read-only scratch repository the stored files are registered as. */
  public String scratchRepository() {
    return "lifeboat-restore-" + runKey;
  }
}
