package io.lifeboat.recover.mariadb;

import io.lifeboat.run.StepTiming;
import java.util.List;
import java.util.Map;

/**
 * @param kept each recovered database and the database its damaged tables were kept in
 * @param replay the binlog replay of a point-in-time recovery, or null
 */
public record MariaDbRecoveryResult(String name, String backupId, int tables,
    Map<String, String> kept, MariaDbReplayPlan replay, List<StepTiming> steps, String report) {
  /** The shape before the report (runs recorded before it). */
  public MariaDbRecoveryResult(String name, String backupId, int tables,
      Map<String, String> kept, MariaDbReplayPlan replay, List<StepTiming> steps) {
    this(name, backupId, tables, kept, replay, steps, null);
  }
}
