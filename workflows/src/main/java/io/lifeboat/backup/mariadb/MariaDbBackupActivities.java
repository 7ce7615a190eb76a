package io.lifeboat.backup.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What a MariaDB backup does to the world; every method idempotent for a backup id. Method
 * names carry "mariadb" because Temporal names activities by method, across interfaces.
 */
@ActivityInterface
public interface MariaDbBackupActivities {

  /**
   * Logs in, resolves the databases (fails on an unknown one), checksums every base table:
   * fails fast when the server is down or the password is wrong.
   */
  MariaDbFacts mariadbAssess(MariaDbConfig mariadb);

  /**
   * {@code mariadb-dump --single-transaction --master-data=2 --routines --events --triggers}
   * streamed through zstd, the repository cipher and SHA-256 into a multipart upload; the binlog
   * position is read from the dump's own CHANGE MASTER comment. A retry aborts what an earlier
   * attempt left.
   */
  MariaDbDumpResult mariadbDumpToRepository(MariaDbDumpRequest request);

  /**
   * Reads the stored object back (size, SHA-256, decryption, zstd) into a scratch mariadbd on a
   * free loopback port, then compares CHECKSUM TABLE with the source's.
   */
  MariaDbVerifyResult mariadbVerifyStoredDump(MariaDbVerifyRequest request);

  /** Writes manifest.json, the commit mark. */
  void mariadbCommitManifest(RepositoryConfig repository, MariaDbManifest manifest);

  /** repository/Retention over PREFIX/mariadb/NAME/: never the newest. */
  List<String> mariadbApplyRetention(MariaDbRetentionRequest request);

  /** Compensation: nothing of a failed run stays, above all no manifest. */
  void mariadbDiscardIncomplete(MariaDbDiscardRequest request);
}
