package io.lifeboat.backup.mariadb;

import io.temporal.activity.ActivityInterface;

/**
 * A physical MariaDB backup: mariadb-backup reads the server's data directory, so these run on
 * the server's host (HOST_BOUND). Idempotent for a backup id like the logical ones.
 */
@ActivityInterface
public interface MariaDbPhysicalActivities {

  /**
   * {@code mariadb-backup --backup --stream=xbstream} streamed through zstd, the repository
   * cipher and SHA-256 into a multipart upload; the binlog position is the one mariadb-backup
   * reports for its consistent point. A retry aborts what an earlier attempt left.
   */
  MariaDbDumpResult mariadbPhysicalToRepository(MariaDbDumpRequest request);

  /**
   * Reads the stored xbstream back (size, SHA-256, decryption, zstd) into mbstream, prepares it
   * with {@code mariadb-backup --prepare}, starts a scratch mariadbd on it (free loopback port,
   * --skip-grant-tables) and compares CHECKSUM TABLE with the source's.
   */
  MariaDbVerifyResult mariadbVerifyStoredPhysical(MariaDbVerifyRequest request);
}
