package io.lifeboat.recover.redis;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;

/** What a Redis recovery does; host-bound steps are named in ActivityPlacement. */
@ActivityInterface
public interface RedisRecoveryActivities {

  /** The manifest of the backup to restore: the given id, or the newest committed one. */
  RedisManifest redisChooseBackup(RepositoryConfig repository, String name, String backupId);

  /**
   * Downloads, decrypts and decompresses the snapshot into dataDir as a new file, checking
   * SHA-256 and redis-check-rdb. The live files are not touched.
   */
  StagedSnapshot redisStageSnapshot(StageRequest request);

  /**
   * Stops the server (SHUTDOWN NOSAVE), keeps the old RDB (and AOF directory) under new names,
   * renames the staged file into place and starts redis-server with appendonly no; returns once
   * it answers, with its DBSIZE.
   */
  SwapResult redisSwapAndStart(StageRequest request, StagedSnapshot staged);

  /**
   * Downloads the backup's AOF directory into dataDir under a new name, checking SHA-256 and
   * redis-check-aof. The live files are not touched.
   */
  StagedSnapshot redisStageAof(StageRequest request);

  /**
   * Stops the server, keeps the old RDB and AOF directory under new names, renames the staged
   * AOF directory into place and starts redis-server with appendonly yes; returns its DBSIZE.
   */
  SwapResult redisSwapAofAndStart(StageRequest request, StagedSnapshot staged);

  /** CONFIG SET appendonly yes (when configured) and waits for the rewrite; returns DBSIZE. */
  long redisEnableAof(RedisConfig redis);
}
