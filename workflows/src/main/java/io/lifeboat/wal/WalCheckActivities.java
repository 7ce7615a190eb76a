package io.lifeboat.wal;

import io.lifeboat.config.DatabaseConfig;
import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface WalCheckActivities {

  /** pg_switch_wal() on the cluster, and what pg_stat_archiver says. */
  WalSwitch forceSwitch(DatabaseConfig database);

  /**
   * Waits (heartbeating) for the switched segment to reach the archive, then checks the
   * archive's continuity from the oldest retained base backup to the newest segment and
   * measures the achieved RPO. {@code switched} is null when the server could not be asked.
   */
  WalCheckResult checkArchive(WalCheckRequest request, WalSwitch switched);
}
