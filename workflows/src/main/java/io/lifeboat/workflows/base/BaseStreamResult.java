package io.lifeboat.workflows.base;

/**
 * What pg_basebackup produced and what pg_verifybackup said about it, together with the WAL the
 * backup needs, fetched from the archive.
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
    String verification) {}
