package io.lifeboat.backup.files;

import java.util.List;

/**
 * A drill's restore of one generation into a scratch directory, compared with what the engine
 * recorded by the code {@code restore files} uses ({@code FilesRestore}): every entry present
 * with its type, size and permission bits, link targets, SHA-256 where the engine records one
 * (rsync, duplicity; restic's {@code restore --verify} and borg's extract check the content
 * themselves), nothing extra. A verdict, not an exception: a damaged generation is the drill's
 * finding.
 *
 * @param directory the scratch directory on the host (removed before this returns)
 * @param paths the source's paths as the generation lists them
 * @param differenceCount how many differences the comparison found
 * @param differences the first of them (at most {@link #MAX_LISTED})
 * @param failure the engine's one line when it could not restore the generation (a damaged pack
 *     or segment, a generation missing from the repository); null when it restored
 * @param scratchRemoved whether the scratch directory is gone (it is removed also when the
 *     restore or the comparison failed)
 */
public record FilesRestoreCheck(String snapshotId, String snapshotTime, String directory,
    long files, long directories, long links, List<String> paths, int differenceCount,
    List<String> differences, String failure, boolean scratchRemoved) {
  public static final int MAX_LISTED = 20;

  public FilesRestoreCheck {
    paths = paths == null ? List.of() : List.copyOf(paths);
    differences = differences == null ? List.of() : List.copyOf(differences);
  }

  /** Restored, and identical to what the engine recorded. */
  public boolean ok() {
    return failure == null && differenceCount == 0;
  }
}
