package io.lifeboat.backup.dump;

import io.lifeboat.config.DatabaseConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What the backup does to the world. Every method is idempotent for a given backup id: a
 * retry after a crash overwrites or removes only what belongs to that id.
 */
@ActivityInterface
public interface DatabaseBackupActivities {

  /** Connects, runs SELECT 1 and measures the database. Fails fast on bad names or auth. */
  DatabaseFacts assess(DatabaseConfig database);

  /**
   * pg_dump streamed through zstd and SHA-256 into an S3 multipart upload (and the local copy).
   * Heartbeats {@link DumpProgress}; a retry aborts the upload an earlier attempt left.
   */
  DumpResult dumpToRepository(DumpRequest request);

  /** Reads the stored object back: size and SHA-256 must match, pg_restore --list must pass. */
  VerifyResult verifyStoredDump(VerifyRequest request);

  /** Writes manifest.json, the commit mark: after this the backup exists. */
  void commitManifest(io.lifeboat.config.RepositoryConfig repository, BackupManifest manifest);

  /** Deletes backups older than the retention, never the newest; returns the expired ids. */
  List<String> applyRetention(RetentionRequest request);

  /** Compensation for a failed run: nothing of it stays behind, above all no manifest. */
  void discardIncomplete(DiscardRequest request);
}
