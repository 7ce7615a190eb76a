package io.lifeboat.backup.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;

/** @param nowMillis workflow time, so a replay expires the same set */
public record OpenSearchRetentionRequest(OpenSearchConfig opensearch,
    RepositoryConfig repository, int retentionDays, long nowMillis) {}
