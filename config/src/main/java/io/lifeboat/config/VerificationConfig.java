package io.lifeboat.config;

/**
 * The daily restore test (the seed's verify-backups.sh at 05:30).
 *
 * @param schedule cron of the BackupVerificationWorkflow schedule
 * @param restore false to stop after checksum and format checks (no scratch database)
 */
public record VerificationConfig(String schedule, Boolean restore) {
  public static final VerificationConfig DEFAULT = new VerificationConfig(null, null);

  public VerificationConfig {
    schedule = schedule != null ? schedule : "30 5 * * *";
    restore = restore != null ? restore : Boolean.TRUE;
  }
}
