package io.lifeboat.backup.redis;

/** A snapshot stored (not yet verified, not committed). */
public record RedisSnapshotResult(String objectKey, long rawBytes, long storedBytes,
    String sha256, String compression, RedisFacts before, RedisFacts after,
    long startedAtMillis, long finishedAtMillis, String redisCliVersion) {}
