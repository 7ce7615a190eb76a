package io.lifeboat.config;

/**
 * How long backups are kept. The newest backup of a source is never deleted, whatever its age.
 *
 * @param fullDays database dumps younger than this many days are kept
 * @param keep optional grandfather-father-son keeps for every repository kind, on top of what
 *     each kind keeps anyway: database dumps ({@code fullDays}), base backups ({@code
 *     wal.baseRetentionCount} and {@code wal.baseRetentionDays}; the WAL each kept base backup
 *     needs stays), application backups ({@code applications[].keep}), configuration backups
 *     ({@code configuration.keep}) and Redis dumps; null (absent): each kind's own rule alone,
 *     exactly as before it existed
 */
public record RetentionConfig(Integer fullDays, Keep keep, Integer reportsAuditDays) {
  public static final RetentionConfig DEFAULT = new RetentionConfig(null, null, null);

  /**
   * The canonical form; {@code reportsAuditDays}: run reports (recoveries, rollbacks, drills,
   * PREFIX/reports/) are kept this long whatever happens to the backups they used, then the
   * scheduled check removes them (default 2555, seven years).
   */
  public RetentionConfig {
    fullDays = fullDays != null ? fullDays : 30;
    reportsAuditDays = reportsAuditDays != null ? reportsAuditDays : 2555;
  }

  /** Without the reports' audit retention: the shape before it. */
  public RetentionConfig(Integer fullDays, Keep keep) {
    this(fullDays, keep, null);
  }

  /** Age only: the shape before GFS keeps. */
  public RetentionConfig(Integer fullDays) {
    this(fullDays, null);
  }

  /**
   * GFS keeps: a dump older than {@code fullDays} is still kept when it is the newest dump of
   * one of the newest {@code daily} days, {@code weekly} ISO weeks (Monday to Sunday), {@code
   * monthly} months or {@code yearly} years that hold a dump (periods without a dump are
   * skipped, not counted), in {@code schedules.timezone}. Each count is independent; an absent
   * count is 0.
   */
  public record Keep(Integer daily, Integer weekly, Integer monthly, Integer yearly) {
    public static final Keep NONE = new Keep(0, 0, 0, 0);

    public Keep {
      daily = daily != null ? daily : 0;
      weekly = weekly != null ? weekly : 0;
      monthly = monthly != null ? monthly : 0;
      yearly = yearly != null ? yearly : 0;
    }
  }
}
