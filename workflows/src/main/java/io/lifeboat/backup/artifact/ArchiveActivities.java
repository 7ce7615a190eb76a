package io.lifeboat.backup.artifact;

import io.lifeboat.rollback.ReleaseFacts;
import io.lifeboat.config.ApplicationConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Archives of files (application releases, configuration) in the repository. Each method is
 * idempotent for a given object key: a retry overwrites or removes only what that key names.
 */
@ActivityInterface
public interface ArchiveActivities {

  /** Checks that current/ exists and reads its commit. */
  ReleaseFacts inspectRelease(ApplicationConfig application);

  /** tar.gz of the sources, streamed through SHA-256 into the repository. Heartbeats. */
  ArchiveResult archiveToRepository(ArchiveRequest request);

  /** Reads the stored archive back: size and SHA-256 must match, every entry must be safe. */
  int verifyStoredArchive(VerifyArchiveRequest request);

  /** Writes manifest.json, the commit mark: after this the backup exists. */
  void commitArtifactManifest(CommitRequest request);

  /** Deletes all but the newest committed backups; returns the expired ids. */
  List<String> keepNewest(KeepNewestRequest request);

  /** Compensation for a failed run: nothing of it stays behind, above all no manifest. */
  void discardArtifact(DiscardArtifactRequest request);
}
