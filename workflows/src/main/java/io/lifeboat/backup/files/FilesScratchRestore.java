package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * A drill's restore of one committed generation of a files source into a scratch directory on
 * the source's host ({@link FilesActivities#filesRestoreCompare}), and the clean-up of that
 * directory ({@link FilesActivities#filesRemoveScratch}). Holds names of secrets only.
 *
 * @param snapshotId the generation the manifest names: a restic snapshot id, a borg archive,
 *     an rsync or duplicity generation (the backup id)
 * @param scratchKey the drill run's key ({@link io.lifeboat.repository.RunKeys}): it names the
 *     scratch directory, so two drills never share one and a retried attempt finds its own
 */
public record FilesScratchRestore(FilesConfig files, RepositoryConfig repository,
    String snapshotId, String scratchKey) {
  /** Every scratch directory a drill creates (and removes) is named so. */
  public static final String PREFIX = "lifeboat-drill-files-";

  /**
   * {@code lifeboat-drill-files-NAME-KEY}: created under the source's {@code restoreRoot}, else
   * the temp directory of the host the restore runs on (only the host knows that one).
   */
  public String directoryName() {
    return PREFIX + files.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
        + scratchKey.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
  }
}
