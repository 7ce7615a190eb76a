package io.lifeboat.config;

/**
 * How hard activities retry retryable failures (PostgreSQL restarting, S3 5xx). The default
 * gives a nightly backup a few minutes to ride out a restart before it reports a failure.
 */
public record RetryConfig(Integer maxAttempts, Integer initialIntervalSeconds,
    Integer maxIntervalSeconds) {
  public static final RetryConfig DEFAULT = new RetryConfig(null, null, null);

  public RetryConfig {
    maxAttempts = maxAttempts != null ? maxAttempts : 6;
    initialIntervalSeconds = initialIntervalSeconds != null ? initialIntervalSeconds : 5;
    maxIntervalSeconds = maxIntervalSeconds != null ? maxIntervalSeconds : 240;
  }
}
