package io.lifeboat.backup.base;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.backup.dump.DiscardRequest;
import io.temporal.activity.ActivityInterface;

/** What a base backup does to the world; idempotent for a given backup id. */
@ActivityInterface
public interface BaseBackupActivities {

  /** Connects, checks that the cluster archives WAL (the backup is useless otherwise), sizes it. */
  BaseClusterFacts assessCluster(DatabaseConfig database);

  /**
   * pg_basebackup (tar, WAL from the archive) streamed through zstd into S3 and, at the same
   * time, unpacked into a scratch directory where pg_verifybackup checks it with the WAL it
   * needs, fetched from the archive. Heartbeats {@link BaseStreamProgress}.
   */
  BaseStreamResult streamAndVerify(BaseStreamRequest request);

  /** Reads the stored object back: size and SHA-256 must match what was streamed. */
  void verifyStored(BaseVerifyStoredRequest request);

  /** Writes manifest.json, the commit mark. */
  void commitBaseManifest(RepositoryConfig repository, BaseBackupManifest manifest);

  /** Expires old base backups and the WAL that only they needed. */
  BaseRetentionResult applyBaseRetention(BaseRetentionRequest request);

  /** Compensation for a failed run: nothing of it stays behind, above all no manifest. */
  void discardIncompleteBase(DiscardRequest request);
}
