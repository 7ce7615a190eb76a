package io.lifeboat.backup.redis;

import io.lifeboat.config.RepositoryConfig;

/**
 * Read back the stored snapshot and prove it loads.
 *
 * @param minKeys fewest keys the loaded snapshot may hold
 * @param maxKeys most keys it may hold (minKeys == maxKeys when the source did not change)
 */
public record RedisVerifyRequest(RepositoryConfig repository, String objectKey,
    String expectedSha256, long expectedBytes, long minKeys, long maxKeys) {}
