package io.lifeboat.backup.files;

import io.temporal.activity.ActivityInterface;

/**
 * The restic steps of a files backup (issue 20). {@code backup} reads the host's disk and runs
 * on its agent; the others work on the repository over S3 from anywhere.
 */
@ActivityInterface
public interface FilesActivities {
  /** {@code restic init} unless the repository exists; true when it was created now. */
  boolean filesInit(ResticTarget target);

  /** {@code restic backup --json PATHS}, heartbeating restic's progress ({@link FilesProgress}). */
  FilesSnapshot filesBackup(ResticTarget target);

  /** {@code restic check --read-data-subset=N%}: a verdict, not an exception. */
  FilesCheck filesCheck(ResticTarget target);

  /** {@code restic forget --keep-* --prune}. */
  FilesRetention filesForget(ResticTarget target);

  /** Writes the manifest (conditional put: a committed one is never overwritten). */
  String filesCommitManifest(ResticTarget target, FilesManifest manifest);
}
