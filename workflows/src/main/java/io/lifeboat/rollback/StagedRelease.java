package io.lifeboat.rollback;

/**
 * @param source "previous/" or "backup ID"
 * @param backupId the repository backup used, null for previous/
 */
public record StagedRelease(String source, String backupId, String commit, String stagingDir,
    int fileCount) {}
