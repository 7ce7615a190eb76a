package io.lifeboat.wal;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;

/** @param rpoTargetMinutes the promise (targets.rpoMinutes) the achieved RPO is compared with */
public record WalCheckRequest(DatabaseConfig database, RepositoryConfig repository, WalConfig wal,
    int rpoTargetMinutes, RetryConfig retry) {
  public WalCheckRequest {
    wal = wal != null ? wal : WalConfig.DEFAULT;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }
}
