package io.lifeboat.backup.opensearch;

import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.Map;

/**
 * The commit mark of an OpenSearch backup (manifest.json, written last, after the stored files
 * were fetched back into a scratch repository and restored into scratch indices).
 *
 * @param documents per index, the documents the scratch restore of the stored files holds (the
 *     verification fails unless each lies between the counts before and after the snapshot)
 * @param fileListKey files.json: every file of the fs repository the backup needs
 * @param uploadedBytes stored bytes this backup uploaded (the rest were shipped before)
 */
public record OpenSearchManifest(
    int formatVersion,
    String backupId,
    String kind,
    String name,
    String url,
    String distribution,
    String serverVersion,
    String repositoryName,
    String snapshot,
    String snapshotUuid,
    String startedAt,
    String finishedAt,
    Map<String, Long> documents,
    int files,
    long rawBytes,
    long storedBytes,
    long uploadedBytes,
    String fileListKey,
    String compression,
    String verification,
    String workflowId,
    EncryptionInfo encryption) {

  public static final int FORMAT_VERSION = 1;
  public static final String KIND = "opensearch-snapshot";

  public OpenSearchManifest withEncryption(EncryptionInfo e) {
    return new OpenSearchManifest(formatVersion, backupId, kind, name, url, distribution,
        serverVersion, repositoryName, snapshot, snapshotUuid, startedAt, finishedAt, documents,
        files, rawBytes, storedBytes, uploadedBytes, fileListKey, compression, verification,
        workflowId, e);
  }
}
