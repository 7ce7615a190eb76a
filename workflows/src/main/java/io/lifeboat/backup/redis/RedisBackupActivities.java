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

  /** Writes manifest.json, the commit mark. */
  void redisCommitManifest(RepositoryConfig repository, RedisManifest manifest);

  /** repository/Retention over PREFIX/redis/NAME/: never the newest. */
  List<String> redisApplyRetention(RedisRetentionRequest request);

  /** Compensation: nothing of a failed run stays, above all no manifest. */
  void redisDiscardIncomplete(RedisDiscardRequest request);
}
