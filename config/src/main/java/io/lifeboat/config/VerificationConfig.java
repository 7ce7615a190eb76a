package io.lifeboat.config;

/**
 * The daily restore test (the seed's verify-backups.sh at 05:30).
 *
 * @param schedule cron of the BackupVerificationWorkflow schedule
 * @param restore false to stop after checksum and format checks (no scratch database)
 * @param parallel databases verified (and drill scenarios run) at once (2); issue 21
 */
public record VerificationConfig(String schedule, Boolean restore, Integer parallel) {
  public static final VerificationConfig DEFAULT = new VerificationConfig(null, null, null);

  public VerificationConfig {
    schedule = schedule != null ? schedule : "30 5 * * *";
    restore = restore != null ? restore : Boolean.TRUE;
    parallel = parallel != null ? parallel : 2;
  }

  /** The shape before {@code parallel} (issue 21). */
  public VerificationConfig(String schedule, Boolean restore) {
    this(schedule, restore, null);
  }
}
