package io.lifeboat.backup.dump;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;

public record DumpRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    String backupId,
    String objectKey) {}
