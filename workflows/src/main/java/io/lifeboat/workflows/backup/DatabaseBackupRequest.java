package io.lifeboat.workflows.backup;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * Everything the backup needs, resolved from the config when the run (or the schedule) was
 * created. Secrets stay names of environment variables.
 */
public record DatabaseBackupRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    CompressionConfig compression,
    int retentionDays,
    RetryTuning retry) {

  public DatabaseBackupRequest {
    retry = retry != null ? retry : RetryTuning.DEFAULT;
  }

  /**
   * How hard to retry retryable failures (PostgreSQL restarting, S3 5xx). The default gives a
   * nightly backup about ten minutes to ride out a restart before it reports a failure.
   */
  public record RetryTuning(int maxAttempts, int initialIntervalSeconds, int maxIntervalSeconds) {
    public static final RetryTuning DEFAULT = new RetryTuning(6, 5, 240);
  }
}
