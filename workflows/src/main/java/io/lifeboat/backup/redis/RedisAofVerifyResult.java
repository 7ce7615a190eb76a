package io.lifeboat.backup.redis;

/**
 * @param sampledKeys keys compared between the AOF scratch and the RDB scratch (DEBUG
 *     DIGEST-VALUE)
 * @param digestsEqual whether the whole datasets' DEBUG DIGEST agreed
 */
public record RedisAofVerifyResult(String sha256, long storedBytes, long keys, int sampledKeys,
    boolean digestsEqual, String checkAof) {}
