package io.lifeboat.backup.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.Map;

/**
 * Fetch the stored files into a scratch fs repository, restore them into scratch indices and
 * count.
 *
 * @param minDocuments per index, the fewest documents the restore may hold
 * @param maxDocuments per index, the most
 * @param runKey names the scratch directory, repository and indices; unique per run
 */
public record OpenSearchVerifyRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    String fileListKey, String snapshot, Map<String, Long> minDocuments,
    Map<String, Long> maxDocuments, String runKey) {}
