package io.lifeboat.recover.db;

/**
 * Where to recover to. Exactly one of: the end of what the repository holds ({@code latest}),
 * a point in time (an ISO-8601 instant, UTC) or a WAL position.
 *
 * @param mode {@link #LATEST}, {@link #TIME} or {@link #LSN}
 * @param time the instant for {@link #TIME}, e.g. 2026-11-21T09:14:00Z
 * @param lsn the WAL position for {@link #LSN}, e.g. 0/3000060
 */
public record RecoveryTarget(String mode, String time, String lsn) {
  public static final String LATEST = "latest";
  public static final String TIME = "time";
  public static final String LSN = "lsn";

  public static RecoveryTarget latest() {
    return new RecoveryTarget(LATEST, null, null);
  }

  public static RecoveryTarget time(String isoInstant) {
    return new RecoveryTarget(TIME, isoInstant, null);
  }

  public static RecoveryTarget lsn(String lsn) {
    return new RecoveryTarget(LSN, null, lsn);
  }

  public String describe() {
    return switch (mode) {
      case TIME -> "time " + time;
      case LSN -> "LSN " + lsn;
      default -> "the latest archived state";
    };
  }
}
