package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbTable;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Recovery from a physical (mariadb-backup) backup: every step works on the server's data
 * directory or starts and stops mariadbd, so all of them run on the server's host.
 */
@ActivityInterface
public interface MariaDbPhysicalRecoveryActivities {

  /**
   * The stored xbstream (SHA-256, size, cipher, zstd) extracted with mbstream into a new
   * directory beside the data directory, then mariadb-backup --prepare. Re-runnable: a partial
   * directory of an earlier attempt is removed first. Returns the directory.
   */
  String mariadbPhysicalRestoreDir(MariaDbPhysicalRestoreRequest request);

  /**
   * Starts the prepared copy as a scratch mariadbd on a free loopback port, replays the planned
   * binlogs into it (none: plan null), reads every table's CHECKSUM TABLE and row count, and
   * shuts it down cleanly. Without a plan the tables must equal the manifest's.
   */
  List<MariaDbTable> mariadbPhysicalPrepareCopy(MariaDbPhysicalRestoreRequest request,
      MariaDbReplayPlan plan);

  /**
   * Stops the server, renames its data directory aside (kept, with the time in its name), moves
   * the restored directory in, starts mariadbd on it; returns the kept directory. Re-runnable.
   */
  String mariadbPhysicalSwapAndStart(MariaDbPhysicalRestoreRequest request);

  /** The live server's tables (CHECKSUM TABLE, row counts) must equal the copy's; returns n. */
  int mariadbPhysicalValidate(MariaDbPhysicalRestoreRequest request,
      List<MariaDbTable> expected);
}
