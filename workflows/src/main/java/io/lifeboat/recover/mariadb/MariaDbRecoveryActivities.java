package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.Map;

/** What a MariaDB recovery does; every step talks to the server over TCP. */
@ActivityInterface
public interface MariaDbRecoveryActivities {

  /** The manifest of the backup to restore: the given id, or the newest committed one. */
  MariaDbManifest mariadbChooseBackup(RepositoryConfig repository, String name, String backupId);

  /**
   * Reads the stored dump back whole (SHA-256, size, decryption, zstd) before anything of the
   * server is touched; logs in to the server (down, wrong password: fails here too).
   */
  void mariadbCheckStored(MariaDbRestoreRequest request);

  /**
   * Keeps each damaged database: its base tables move (RENAME TABLE, one statement) into a new
   * database named DB_before_RUNKEY, then the emptied database is dropped. Returns database to
   * kept database (none for a database that was gone). Re-runnable.
   */
  Map<String, String> mariadbSetAside(MariaDbRestoreRequest request);

  /** Streams the stored dump into the server (it recreates its databases). */
  void mariadbLoad(MariaDbRestoreRequest request);

  /** CHECKSUM TABLE and row counts of every table against the manifest; returns tables. */
  int mariadbValidate(MariaDbRestoreRequest request);
}
