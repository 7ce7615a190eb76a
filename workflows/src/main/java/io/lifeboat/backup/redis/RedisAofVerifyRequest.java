package io.lifeboat.backup.redis;

import io.lifeboat.config.RepositoryConfig;

/**
 * Read back the stored AOF directory, check it and load it, beside the stored RDB.
 *
 * @param minKeys fewest keys the loaded AOF may hold (the RDB's and the copy's counts)
 * @param maxKeys most keys it may hold
 * @param quiet nothing was written to the source between the RDB snapshot and the end of the
 *     AOF copy: the two datasets must be equal (DEBUG DIGEST), not only the sampled keys
 */
public record RedisAofVerifyRequest(RepositoryConfig repository, String aofKey,
    String expectedSha256, long expectedBytes, String dirName, String rdbKey, long minKeys,
    long maxKeys, boolean quiet) {}
