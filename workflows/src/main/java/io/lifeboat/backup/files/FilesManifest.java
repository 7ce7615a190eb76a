package io.lifeboat.backup.files;

import java.util.List;

/**
 * The manifest of one files backup, beside the restic repository
 * ({@code PREFIX/files-manifests/NAME/ID/manifest.json}); written last, after the check.
 *
 * @param verification "ok: ..." or "failed: ..." from restic check
 */
public record FilesManifest(int formatVersion, String backupId, String kind, String source,
    String engine, String host, List<String> paths, List<String> excludes, String repository,
    String snapshotId, long filesNew, long filesChanged, long totalFiles, long totalBytes,
    long bytesAdded, String startedAt, String finishedAt, String verification,
    List<String> kept, List<String> removed, String reason, String workflowId,
    String resticVersion) {
  public static final int FORMAT_VERSION = 1;
}
