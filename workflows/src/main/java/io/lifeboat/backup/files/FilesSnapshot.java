package io.lifeboat.backup.files;

/**
 * What {@code restic backup --json} reported in its summary.
 *
 * @param reused true when a retried attempt found the snapshot an earlier attempt of this run
 *     made (its counters are then those restic keeps in the snapshot: none)
 */
public record FilesSnapshot(String snapshotId, long filesNew, long filesChanged,
    long filesUnmodified, long totalFiles, long totalBytes, long bytesAdded, double seconds,
    String resticVersion, boolean reused) {}
