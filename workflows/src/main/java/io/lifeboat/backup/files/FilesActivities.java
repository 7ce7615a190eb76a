package io.lifeboat.backup.files;

import io.temporal.activity.ActivityInterface;

/**
 * The restic steps of a files backup (issue 20). {@code backup} reads the host's disk and runs
 * on its agent; the others work on the repository over S3 from anywhere.
 *
 * <p>Each method can be re-run after a worker died in it (SIGKILL, OOM, a host reboot). The
 * engine's process dies with the worker (started behind {@code setpriv --pdeathsig KILL}), so
 * no orphan runs on beside the retry. What the killed attempt left, the retry finds or cleans:
 * <ul>
 *   <li>{@code filesInit}: a repository that exists is left (restic "already initialized", a
 *       borg {@code config} file, rsync's {@code generations/}).
 *   <li>{@code filesBackup}: the run's generation, when a lost attempt finished it, is the
 *       answer ({@code reused}): restic's snapshot tagged with the run, borg's archive named
 *       after the backup id, rsync's generation directory with its manifest. Otherwise it backs
 *       up again: restic runs {@code unlock} first and takes a non-exclusive lock, so a killed
 *       attempt's stale lock never blocks it (the packs it stored without an index stay
 *       unreferenced, which restic check does not count as an error, until a prune); borg finds
 *       the dead process's {@code lock.exclusive} stale (same host, no such process) and
 *       removes it, and rolls back its uncommitted segments; rsync copies again into the same
 *       {@code .partial-ID} directory (with {@code --delete}), which is never listed as a
 *       generation until its manifest is written and it is renamed. Over ssh (a repository
 *       host) borg's lock still names the source's host and the dead process, so it is
 *       removed the same way; rsync's push finds a sealed generation by its manifest there
 *       and {@code filesSeal} a renamed one (see Borg, RsyncMirror).
 *   <li>{@code filesCheck}, {@code filesForget}: read-only or idempotent; restic's check runs
 *       {@code unlock} first (a killed check's or prune's exclusive lock is stale).
 *   <li>{@code filesCommitManifest}: a conditional put; the same manifest already there is
 *       success, a different one {@code BACKUP_ID_TAKEN}.
 * </ul>
 * The fault suite's files entries (EngineFaultSuiteTest) kill the worker mid-backup per engine.
 */
@ActivityInterface
public interface FilesActivities {
  /** {@code restic init} unless the repository exists; true when it was created now. */
  boolean filesInit(ResticTarget target);

  /** {@code restic backup --json PATHS}, heartbeating restic's progress ({@link FilesProgress}). */
  FilesSnapshot filesBackup(ResticTarget target);

  /**
   * rsync's mirror on a repository host: on that host's agent, the manifest of the generation
   * the source's host pushed into {@code .partial-ID} is written (SHA-256 of every file, the
   * previous generation's for files hard-linked to it), then it is renamed to {@code ID}. A
   * retried seal finds the generation done ({@code reused}) or walks the partial one again.
   * {@code target.files()} is the source as seen from there ({@code onRepositoryHost()}).
   */
  FilesSnapshot filesSeal(ResticTarget target);

  /** {@code restic check --read-data-subset=N%}: a verdict, not an exception. */
  FilesCheck filesCheck(ResticTarget target);

  /** {@code restic forget --keep-* --prune}. */
  FilesRetention filesForget(ResticTarget target);

  /** Writes the manifest (conditional put: a committed one is never overwritten). */
  String filesCommitManifest(ResticTarget target, FilesManifest manifest);

  /**
   * The drill's choice: the newest committed manifest of source {@code name} whose check passed
   * (the rule {@code lifeboat check} counts files backups by), read from
   * {@code PREFIX/files-manifests/NAME/}; {@code BACKUP_NOT_FOUND} when there is none.
   */
  FilesManifest filesNewestManifest(io.lifeboat.config.RepositoryConfig repository, String name);

  /**
   * The files drill scenario: the generation restored into the scratch directory
   * {@link FilesScratchRestore#directoryName()} on the source's host and compared with what the
   * engine recorded (the code of {@code restore files}); the directory removed before it
   * returns, also when the restore or the comparison failed. A leftover of a killed attempt is
   * removed first. The source's paths are only read.
   */
  FilesRestoreCheck filesRestoreCompare(FilesScratchRestore request);

  /**
   * The drill's clean-up: removes the scratch directory if a restore left it (a worker killed
   * mid-restore); says so either way. Never removes a directory that overlaps the source's
   * paths or its repository (the restore refused to create it there).
   */
  String filesRemoveScratch(FilesScratchRestore request);
}
