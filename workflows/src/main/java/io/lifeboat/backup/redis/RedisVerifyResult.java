package io.lifeboat.backup.redis;

/** @param sampledKeys keys read back (TYPE and DUMP) from the scratch server */
public record RedisVerifyResult(String sha256, long storedBytes, long keys, int sampledKeys,
    String checkRdb) {}
