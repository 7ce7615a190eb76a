package io.lifeboat.backup.base;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;

/** Everything a base backup needs, resolved from the config when the run was started. */
public record BaseBackupRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    WalConfig wal,
    RetryConfig retry,
    io.lifeboat.offsite.OffsiteTarget offsite) {

  public BaseBackupRequest {
    wal = wal != null ? wal : WalConfig.DEFAULT;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without an offsite copy: the shape before issue #8. */
  public BaseBackupRequest(DatabaseConfig database, RepositoryConfig repository,
      CompressionConfig compression, WalConfig wal, RetryConfig retry) {
    this(database, repository, compression, wal, retry, null);
  }
}
