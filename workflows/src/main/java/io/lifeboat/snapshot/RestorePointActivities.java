package io.lifeboat.snapshot;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;
import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface RestorePointActivities {
  /** Refuses (RECOVERY_TARGET_INVALID) a name that already has a manifest. */
  void requireNewRestorePoint(RepositoryConfig repository, String name);

  /**
   * pg_create_restore_point(NAME), then a WAL switch, then waits until the segment holding the
   * point is in the repository's archive. A server that does not archive WAL is skipped.
   */
  DatabasePoint createRestorePoint(RepositoryConfig repository, WalConfig wal,
      DatabaseConfig database, String name);

  /** Stores the manifest at {@code points/NAME.json}; returns the key. */
  String writeRestorePointManifest(RepositoryConfig repository, RestorePointManifest manifest);
}
