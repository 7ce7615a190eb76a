package io.lifeboat.backup.redis;

/** What INFO says about a server: version, keys over every db, used_memory. */
public record RedisFacts(String serverVersion, long keys, long usedMemory) {}
