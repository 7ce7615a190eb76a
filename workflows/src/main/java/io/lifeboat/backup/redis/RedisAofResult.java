package io.lifeboat.backup.redis;

import java.util.List;

/**
 * A consistent copy of the multi-part AOF stored (not yet verified, not committed).
 *
 * @param dirName the server's appenddirname (recovery puts the directory back under it)
 * @param files the files of the copy: the manifest, the base and the incr files it names
 * @param attempts copies taken: more than one when a rewrite replaced the files during one
 * @param fixed what redis-check-aof --fix did to a cut last command; null when nothing was cut
 */
public record RedisAofResult(String objectKey, String dirName, List<String> files,
    long rawBytes, long storedBytes, String sha256, int attempts, String fixed,
    RedisFacts before, RedisFacts after) {}
