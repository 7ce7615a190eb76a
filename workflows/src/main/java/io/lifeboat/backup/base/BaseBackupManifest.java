package io.lifeboat.backup.base;

import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.Map;

/**
 * The commit mark of a base backup ({@code PREFIX/db/NAME/base/ID/manifest.json}), written last
 * and only after pg_verifybackup passed: a base backup without one does not exist. With the
 * WAL archive it is everything point-in-time recovery needs: restore {@link #objectKey}, then
 * replay WAL from {@link #startWalSegment} on {@link #timeline}; the recovery must reach at
 * least {@link #stopLsn} to be consistent.
 *
 * @param rawBytes bytes of the tar stream pg_basebackup produced
 * @param storedBytes bytes stored (zstd)
 * @param sha256 of the stored object
 * @param walSegmentSize the cluster's wal_segment_size in bytes
 * @param verified true when pg_verifybackup passed (a manifest is written only then)
 * @param verification what was checked, in words
 * @param backupManifestKey format 2: PostgreSQL's backup_manifest, stored beside
 *     {@link #objectKey} (the server compressed the tar and it has none inside); null in
 *     format 1, whose tar carries it
 */
public record BaseBackupManifest(
    int formatVersion,
    String kind,
    String database,
    String backupId,
    String sourceAddress,
    String startedAt,
    String finishedAt,
    String startLsn,
    String stopLsn,
    int timeline,
    String startWalSegment,
    String stopWalSegment,
    long walSegmentSize,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    String objectKey,
    String pgVersion,
    String systemIdentifier,
    boolean verified,
    String verification,
    Map<String, String> toolVersions,
    String workflowId,
    EncryptionInfo encryption,
    String backupManifestKey) {

  /** Format 1: the worker compressed the tar, backup_manifest inside it. */
  public static final int FORMAT_VERSION = 1;
  /** Format 2: the server compressed the tar, backup_manifest stored beside it. */
  public static final int FORMAT_SEPARATE_MANIFEST = 2;
  public static final String KIND = "db-base";

  /** Without encryption: manifests written before it existed, and their call sites. */
  public BaseBackupManifest(int formatVersion, String kind, String database, String backupId, String
      sourceAddress, String startedAt, String finishedAt, String startLsn, String stopLsn, int
      timeline, String startWalSegment, String stopWalSegment, long walSegmentSize, long rawBytes,
      long storedBytes, String sha256, String compression, String objectKey, String pgVersion,
      String systemIdentifier, boolean verified, String verification, Map<String, String>
      toolVersions, String workflowId) {
    this(formatVersion, kind, database, backupId, sourceAddress, startedAt, finishedAt, startLsn,
        stopLsn, timeline, startWalSegment, stopWalSegment, walSegmentSize, rawBytes, storedBytes,
        sha256, compression, objectKey, pgVersion, systemIdentifier, verified, verification,
        toolVersions, workflowId, null, null);
  }

  /** Format 1, with encryption: manifests written before format 2 existed. */
  public BaseBackupManifest(int formatVersion, String kind, String database, String backupId, String
      sourceAddress, String startedAt, String finishedAt, String startLsn, String stopLsn, int
      timeline, String startWalSegment, String stopWalSegment, long walSegmentSize, long rawBytes,
      long storedBytes, String sha256, String compression, String objectKey, String pgVersion,
      String systemIdentifier, boolean verified, String verification, Map<String, String>
      toolVersions, String workflowId, EncryptionInfo encryption) {
    this(formatVersion, kind, database, backupId, sourceAddress, startedAt, finishedAt, startLsn,
        stopLsn, timeline, startWalSegment, stopWalSegment, walSegmentSize, rawBytes, storedBytes,
        sha256, compression, objectKey, pgVersion, systemIdentifier, verified, verification,
        toolVersions, workflowId, encryption, null);
  }

  /** The same manifest, recording how its object was encrypted (null: not encrypted). */
  public BaseBackupManifest withEncryption(EncryptionInfo encryption) {
    return new BaseBackupManifest(formatVersion, kind, database, backupId, sourceAddress, startedAt,
        finishedAt, startLsn, stopLsn, timeline, startWalSegment, stopWalSegment, walSegmentSize,
        rawBytes, storedBytes, sha256, compression, objectKey, pgVersion, systemIdentifier,
        verified, verification, toolVersions, workflowId, encryption, backupManifestKey);
  }
}
