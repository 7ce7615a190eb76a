package io.lifeboat.snapshot;

import java.util.List;

/**
 * A restore point across the estate, as stored in the repository ({@code points/NAME.json}):
 * the point in each database's WAL and the application and configuration backups taken with
 * it (their reason or workflow id names the point).
 *
 * @param applicationBackups application name to backup id
 */
public record RestorePointManifest(int formatVersion, String name, String estate,
    long createdAtMillis, String workflowId, List<DatabasePoint> databases,
    java.util.Map<String, String> applicationBackups, String configurationBackup) {

  public static final int FORMAT = 1;

  public java.util.Optional<DatabasePoint> database(String name) {
    return databases.stream().filter(d -> d.database().equals(name)).findFirst();
  }
}
