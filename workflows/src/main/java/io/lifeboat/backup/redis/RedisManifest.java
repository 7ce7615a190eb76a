package io.lifeboat.backup.redis;

import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.Map;

/**
 * The commit mark of a Redis backup (manifest.json, written last, after the stored snapshot was
 * read back and loaded into a scratch server).
 *
 * @param keys keys in the snapshot: DBSIZE of the scratch server the read-back file was loaded
 *     into (the verification fails unless it lies between keysBefore and keysAfter)
 * @param keysBefore keys INFO keyspace reported just before the snapshot
 * @param keysAfter keys INFO keyspace reported just after it
 * @param usedMemory INFO memory's used_memory at snapshot time
 * @param aof the AOF directory stored beside the RDB (appendonly on and a dataDir set); null:
 *     the backup holds the RDB only
 */
public record RedisManifest(
    int formatVersion,
    String backupId,
    String kind,
    String name,
    String sourceAddress,
    String serverVersion,
    String startedAt,
    String finishedAt,
    long keys,
    long keysBefore,
    long keysAfter,
    long usedMemory,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    String objectKey,
    Map<String, String> toolVersions,
    String verification,
    String workflowId,
    EncryptionInfo encryption,
    RedisAofArtifact aof) {

  public static final int FORMAT_VERSION = 1;
  public static final String KIND = "redis-rdb";

  /** Without an AOF artifact (the RDB only, as before it existed). */
  public RedisManifest(int formatVersion, String backupId, String kind, String name,
      String sourceAddress, String serverVersion, String startedAt, String finishedAt, long keys,
      long keysBefore, long keysAfter, long usedMemory, long rawBytes, long storedBytes,
      String sha256, String compression, String objectKey, Map<String, String> toolVersions,
      String verification, String workflowId, EncryptionInfo encryption) {
    this(formatVersion, backupId, kind, name, sourceAddress, serverVersion, startedAt,
        finishedAt, keys, keysBefore, keysAfter, usedMemory, rawBytes, storedBytes, sha256,
        compression, objectKey, toolVersions, verification, workflowId, encryption, null);
  }

  public RedisManifest withEncryption(EncryptionInfo e) {
    return new RedisManifest(formatVersion, backupId, kind, name, sourceAddress, serverVersion,
        startedAt, finishedAt, keys, keysBefore, keysAfter, usedMemory, rawBytes, storedBytes,
        sha256, compression, objectKey, toolVersions, verification, workflowId, e, aof);
  }
}
