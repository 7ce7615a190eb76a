package io.lifeboat.backup.opensearch;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;

public record OpenSearchShipRequest(OpenSearchConfig opensearch, RepositoryConfig repository,
    CompressionConfig compression, String backupId) {}
