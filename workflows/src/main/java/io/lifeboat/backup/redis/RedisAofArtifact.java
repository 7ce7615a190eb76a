package io.lifeboat.backup.redis;

import java.util.List;

/**
 * The AOF directory of a backup ({@code appendonlydir.tar.zst}), in its manifest.
 *
 * @param dirName the server's appenddirname
 * @param files what the copy holds (manifest, base, incr files)
 * @param keys DBSIZE of a scratch redis-server started with appendonly yes on the copy
 * @param fixed what redis-check-aof --fix did to a cut last command; null: nothing was cut
 */
public record RedisAofArtifact(String objectKey, String dirName, List<String> files,
    long rawBytes, long storedBytes, String sha256, long keys, String fixed,
    String verification) {}
