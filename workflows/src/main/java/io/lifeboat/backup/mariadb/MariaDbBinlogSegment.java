package io.lifeboat.backup.mariadb;

/**
 * One archived binlog file (its FILE.json commit mark).
 *
 * @param rawSha256 SHA-256 of the binlog file as the server wrote it
 * @param storedSha256 SHA-256 of the stored object (compressed, sealed)
 */
public record MariaDbBinlogSegment(String file, long rawBytes, String rawSha256,
    long storedBytes, String storedSha256, String objectKey, String archivedAt) {}
