package io.lifeboat.backup.base;

/**
 * What pg_basebackup produced and what pg_verifybackup said about it.
 *
 * @param backupManifestKey where PostgreSQL's backup_manifest was stored beside the tar (format
 *     2: the server compressed the tar); null when it is inside the tar (format 1)
 */
public record BaseStreamResult(
    String objectKey,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    long startedAtMillis,
    long finishedAtMillis,
    String startLsn,
    String stopLsn,
    int timeline,
    String startWalSegment,
    String stopWalSegment,
    long walSegmentSize,
    String pgVersion,
    String systemIdentifier,
    String pgBasebackupVersion,
    String verification,
    String backupManifestKey) {

  /** Format 1 (backup_manifest inside the tar). */
  public BaseStreamResult(String objectKey, long rawBytes, long storedBytes, String sha256,
      String compression, long startedAtMillis, long finishedAtMillis, String startLsn,
      String stopLsn, int timeline, String startWalSegment, String stopWalSegment,
      long walSegmentSize, String pgVersion, String systemIdentifier, String pgBasebackupVersion,
      String verification) {
    this(objectKey, rawBytes, storedBytes, sha256, compression, startedAtMillis, finishedAtMillis,
        startLsn, stopLsn, timeline, startWalSegment, stopWalSegment, walSegmentSize, pgVersion,
        systemIdentifier, pgBasebackupVersion, verification, null);
  }
}
