package io.lifeboat.recover.db;

/**
 * Where to recover to. Exactly one of: the end of what the repository holds ({@code latest}),
 * a point in time (an ISO-8601 instant, UTC), a WAL position, or a restore point taken by
 * {@code lifeboat snapshot} (PostgreSQL's recovery_target_name; its LSN, read from the point's
 * manifest, bounds the plan as an LSN target does).
 *
 * @param mode {@link #LATEST}, {@link #TIME} or {@link #LSN}
 * @param time the instant for {@link #TIME}, e.g. 2026-11-21T09:14:00Z
 * @param lsn the WAL position for {@link #LSN}, e.g. 0/3000060; for {@link #POINT} the
 *     position where the restore point was created
 * @param point the restore point's name for {@link #POINT} (null otherwise, and in requests
 *     written before restore points existed)
 */
public record RecoveryTarget(String mode, String time, String lsn, String point) {
  public static final String LATEST = "latest";
  public static final String TIME = "time";
  public static final String LSN = "lsn";
  public static final String POINT = "point";

  /** The shape before restore points. */
  public RecoveryTarget(String mode, String time, String lsn) {
    this(mode, time, lsn, null);
  }

  public static RecoveryTarget latest() {
    return new RecoveryTarget(LATEST, null, null);
  }

  public static RecoveryTarget time(String isoInstant) {
    return new RecoveryTarget(TIME, isoInstant, null);
  }

  public static RecoveryTarget lsn(String lsn) {
    return new RecoveryTarget(LSN, null, lsn);
  }

  /** A restore point {@code name} created at {@code lsn} (from its manifest). */
  public static RecoveryTarget point(String name, String lsn) {
    return new RecoveryTarget(POINT, null, lsn, name);
  }

  public String describe() {
    return switch (mode) {
      case TIME -> "time " + time;
      case LSN -> "LSN " + lsn;
      case POINT -> "restore point " + point + " (LSN " + lsn + ")";
      default -> "the latest archived state";
    };
  }
}
