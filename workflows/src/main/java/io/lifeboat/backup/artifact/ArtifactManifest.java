package io.lifeboat.backup.artifact;

import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.List;

/**
 * The commit mark of an application or configuration backup, stored beside the archive as
 * manifest.json and written last. Enough to restore from the bucket alone.
 *
 * @param kind app or config
 * @param subject the application name, or the estate for a configuration backup
 */
public record ArtifactManifest(
    int formatVersion,
    String backupId,
    String kind,
    String subject,
    String commit,
    String source,
    String startedAt,
    String finishedAt,
    String objectKey,
    String localCopy,
    long storedBytes,
    long rawBytes,
    String sha256,
    int fileCount,
    List<String> excludes,
    List<FileDigest> files,
    List<String> missingOptional,
    String verification,
    String workflowId,
    EncryptionInfo encryption) {

  public static final int FORMAT_VERSION = 1;

  /** Without encryption: manifests written before it existed, and their call sites. */
  public ArtifactManifest(int formatVersion, String backupId, String kind, String subject, String
      commit, String source, String startedAt, String finishedAt, String objectKey, String
      localCopy, long storedBytes, long rawBytes, String sha256, int fileCount, List<String>
      excludes, List<FileDigest> files, List<String> missingOptional, String verification, String
      workflowId) {
    this(formatVersion, backupId, kind, subject, commit, source, startedAt, finishedAt, objectKey,
        localCopy, storedBytes, rawBytes, sha256, fileCount, excludes, files, missingOptional,
        verification, workflowId, null);
  }

  /** The same manifest, recording how its object was encrypted (null: not encrypted). */
  public ArtifactManifest withEncryption(EncryptionInfo encryption) {
    return new ArtifactManifest(formatVersion, backupId, kind, subject, commit, source, startedAt,
        finishedAt, objectKey, localCopy, storedBytes, rawBytes, sha256, fileCount, excludes, files,
        missingOptional, verification, workflowId, encryption);
  }
}
