package io.lifeboat.workflows.backup;

import java.util.Map;

/**
 * The commit mark of a backup, stored beside it as manifest.json and written last: a backup
 * without one is incomplete and never listed or restored. Enough to restore with the bucket
 * alone.
 */
public record BackupManifest(
    int formatVersion,
    String backupId,
    String kind,
    String database,
    String sourceAddress,
    String serverVersion,
    String startedAt,
    String finishedAt,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    String objectKey,
    String localCopy,
    String storageClass,
    String serverSideEncryption,
    Map<String, String> toolVersions,
    String verification,
    String workflowId) {

  public static final int FORMAT_VERSION = 1;
}
