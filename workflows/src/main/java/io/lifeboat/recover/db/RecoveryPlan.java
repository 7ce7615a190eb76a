package io.lifeboat.recover.db;

/**
 * What the repository offers for a target, decided before anything is touched.
 *
 * @param method {@link #DUMP} (restore the newest full dump) or {@link #PITR} (a base backup
 *     plus WAL replay to the target)
 * @param backupId the full or base backup used
 * @param objectKey the dump or the base backup archive
 * @param storedBytes its size in the repository, for progress
 * @param backupFinishedAt when that backup was consistent (ISO instant)
 * @param walFrom first WAL segment replay needs (PITR), else null
 * @param walTo newest archived WAL segment (PITR), else null
 * @param newestArchivedAt how far in time the newest archived WAL segment reaches (PITR), else null
 * @param dataDirectory the data directory the base backup was taken from, when recorded
 * @param timeline the base backup's timeline (PITR), else 0
 */
public record RecoveryPlan(
    String method,
    String backupId,
    String objectKey,
    long storedBytes,
    String backupFinishedAt,
    String walFrom,
    String walTo,
    String newestArchivedAt,
    String dataDirectory,
    int timeline) {

  public static final String DUMP = "dump";
  public static final String PITR = "pitr";

  public boolean pitr() {
    return PITR.equals(method);
  }
}
