package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Binlog archive and point-in-time replay of a MariaDB server (issue 19). */
@ActivityInterface
public interface MariaDbPitrActivities {

  /**
   * FLUSH BINARY LOGS, then every closed binlog not yet in the archive is read from the server
   * (mariadb-binlog --read-from-remote-server --raw), compressed, sealed, stored and committed
   * with its SHA-256. Returns the archived files, oldest first.
   */
  List<String> mariadbArchiveBinlogs(MariaDbConfig mariadb, RepositoryConfig repository);

  /** The newest committed backup whose dump finished at or before the target. */
  MariaDbManifest mariadbChooseBackupBefore(RepositoryConfig repository, String name,
      long targetMillis);

  /**
   * Reads the archived binlogs from the backup's position (each checked against its SHA-256)
   * and finds the exact cut: the position of the first transaction after the target. Fails
   * when the target lies outside the archived window.
   */
  MariaDbReplayPlan mariadbPlanReplay(MariaDbReplayRequest request);

  /** mariadb-binlog --start-position --stop-position over the planned files into the server. */
  void mariadbReplay(MariaDbReplayRequest request, MariaDbReplayPlan plan);
}
