package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * Everything a recovery needs, resolved from the config by the CLI. Secrets stay names.
 *
 * @param rtoMinutes the promise this run is measured against (targets.databaseRtoMinutes)
 * @param estate for the report
 */
public record RecoveryRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    RecoveryTarget target,
    int rtoMinutes,
    String estate,
    RetryConfig retry) {

  public RecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    target = target != null ? target : RecoveryTarget.latest();
  }
}
