package io.lifeboat.backup.dump;

import io.lifeboat.storage.crypt.EncryptionInfo;
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
    String workflowId,
    EncryptionInfo encryption,
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String dumpFormat) {

  public static final int FORMAT_VERSION = 1;
  /** {@code dumpFormat} of a directory-format dump (issue 21); null: the custom format. */
  public static final String DIRECTORY = "directory";

  public BackupManifest(int formatVersion, String backupId, String kind, String database, String
      sourceAddress, String serverVersion, String startedAt, String finishedAt, long rawBytes, long
      storedBytes, String sha256, String compression, String objectKey, String localCopy, String
      storageClass, String serverSideEncryption, Map<String, String> toolVersions, String
      verification, String workflowId, EncryptionInfo encryption) {
    this(formatVersion, backupId, kind, database, sourceAddress, serverVersion, startedAt,
        finishedAt, rawBytes, storedBytes, sha256, compression, objectKey, localCopy, storageClass,
        serverSideEncryption, toolVersions, verification, workflowId, encryption, null);
  }

  /** Whether the object is a tar of a pg_dump -Fd directory, restored with pg_restore -j. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean directoryFormat() {
    return DIRECTORY.equals(dumpFormat);
  }

  /** Without encryption: manifests written before it existed, and their call sites. */
  public BackupManifest(int formatVersion, String backupId, String kind, String database, String
      sourceAddress, String serverVersion, String startedAt, String finishedAt, long rawBytes, long
      storedBytes, String sha256, String compression, String objectKey, String localCopy, String
      storageClass, String serverSideEncryption, Map<String, String> toolVersions, String
      verification, String workflowId) {
    this(formatVersion, backupId, kind, database, sourceAddress, serverVersion, startedAt,
        finishedAt, rawBytes, storedBytes, sha256, compression, objectKey, localCopy, storageClass,
        serverSideEncryption, toolVersions, verification, workflowId, null);
  }

  /** The same manifest, recording how its object was encrypted (null: not encrypted). */
  public BackupManifest withEncryption(EncryptionInfo encryption) {
    return new BackupManifest(formatVersion, backupId, kind, database, sourceAddress, serverVersion,
        startedAt, finishedAt, rawBytes, storedBytes, sha256, compression, objectKey, localCopy,
        storageClass, serverSideEncryption, toolVersions, verification, workflowId, encryption,
        dumpFormat);
  }
}
