package io.lifeboat.backup.mariadb;

/**
 * A dump stored (not yet verified, not committed).
 *
 * @param binlogFile the binlog the dump's snapshot ends in (CHANGE MASTER comment); null when
 *     the server writes no binlog
 * @param binlogPosition the position in it
 * @param gtidPosition gtid_slave_pos the dump records, or null
 */
public record MariaDbDumpResult(String objectKey, long rawBytes, long storedBytes, String sha256,
    String compression, String binlogFile, Long binlogPosition, String gtidPosition,
    MariaDbFacts after, long startedAtMillis, long finishedAtMillis, String dumpVersion) {}
