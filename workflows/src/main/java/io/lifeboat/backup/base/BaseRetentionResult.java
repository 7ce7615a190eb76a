package io.lifeboat.backup.base;

import java.util.List;

/**
 * @param oldestKeptStartSegment WAL before this segment is needed by no retained base backup
 * @param walFilesRemoved archived WAL files removed because no retained backup needs them
 */
public record BaseRetentionResult(List<String> expiredBackupIds, String oldestKeptStartSegment,
    int walFilesRemoved) {}
