package io.lifeboat.backup.mariadb;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.List;

public record MariaDbDumpRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    CompressionConfig compression, String backupId, String objectKey, List<String> databases,
    boolean logBin) {}
