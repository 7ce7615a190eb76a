package io.lifeboat.backup.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;

public record OpenSearchDiscardRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    String backupId) {}
