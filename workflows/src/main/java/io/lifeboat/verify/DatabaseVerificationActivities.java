package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;

/**
 * The database-dump verifier's actions. Each is idempotent: the scratch database is dropped and
 * recreated by a retried restore, a record is overwritten under the same key.
 */
@ActivityInterface
public interface DatabaseVerificationActivities {

  /** Reads the manifests of a database and returns the newest, or none. */
  NewestBackup findNewest(RepositoryConfig repository, DatabaseConfig database);

  /**
   * Downloads the dump: size and SHA-256 against the manifest, every zstd frame's checksum, and
   * pg_restore --list. Fails BACKUP_CORRUPT on any mismatch.
   */
  IntegrityResult checkIntegrity(DumpTarget target);

  /** (Re)creates the scratch database, restores the dump into it, runs the validation queries. */
  RestoreCheckResult restoreAndValidate(RestoreCheckRequest request);

  /** Drops the scratch database; dropping one that does not exist is fine. */
  void dropScratch(ScratchDatabase scratch);

  /** Writes the verification record beside the backup; returns its key. */
  String recordVerification(RecordRequest request);
}
