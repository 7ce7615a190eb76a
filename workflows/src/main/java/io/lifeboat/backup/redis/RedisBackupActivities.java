package io.lifeboat.backup.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What a Redis backup does to the world; every method idempotent for a backup id. Method
 * names carry "redis" because Temporal names activities by method, across interfaces.
 */
@ActivityInterface
public interface RedisBackupActivities {

  /** PING and INFO: fails fast when the server is down or the password is wrong. */
  RedisFacts redisAssess(RedisConfig redis);

  /**
   * {@code redis-cli --rdb} into a scratch file, then zstd, the repository cipher and SHA-256
   * into a multipart upload; a retry aborts what an earlier attempt left.
   */
  RedisSnapshotResult redisSnapshotToRepository(RedisSnapshotRequest request);

  /**
   * Reads the stored object back (size, SHA-256, decryption, zstd), runs redis-check-rdb on it
   * and loads it into a scratch redis-server on a free port: DBSIZE and sampled keys.
   */
  RedisVerifyResult redisVerifyStoredSnapshot(RedisVerifyRequest request);

  /**
   * On the server's host: a consistent copy of the multi-part AOF directory (its manifest, the
   * base and the incr files it names, each incr file up to the size taken before copying; again
   * when a rewrite replaced the files meanwhile; a cut last command fixed with redis-check-aof
   * --fix), tarred, zstd, the repository cipher and SHA-256 into a multipart upload.
   */
  RedisAofResult redisAofToRepository(RedisAofRequest request);

  /**
   * Reads the stored AOF back (size, SHA-256, decryption, zstd), runs redis-check-aof on it and
   * starts a scratch redis-server with appendonly yes on it: DBSIZE, and keys compared with a
   * scratch server loaded from the stored RDB.
   */
  RedisAofVerifyResult redisVerifyStoredAof(RedisAofVerifyRequest request);

  /** Writes manifest.json, the commit mark. */
  void redisCommitManifest(RepositoryConfig repository, RedisManifest manifest);

  /** repository/Retention over PREFIX/redis/NAME/: never the newest. */
  List<String> redisApplyRetention(RedisRetentionRequest request);

  /** Compensation: nothing of a failed run stays, above all no manifest. */
  void redisDiscardIncomplete(RedisDiscardRequest request);
}
