package io.lifeboat.config;

/**
 * Scheduled restore points (issue 22): {@code lifeboat snapshot} on a cron, each point named
 * {@code auto-YYYYMMDDTHHMMZ} from the time it fires.
 *
 * @param schedule cron (in {@code schedules.timezone}) of the schedule
 *     {@code snapshot-ESTATE-scheduled}; null: no scheduled points, only
 *     {@code lifeboat snapshot NAME}
 */
public record RestorePointsConfig(String schedule) {
  public static final RestorePointsConfig DEFAULT = new RestorePointsConfig(null);

  public RestorePointsConfig {
    if (schedule != null && schedule.isBlank()) schedule = null;
  }
}
