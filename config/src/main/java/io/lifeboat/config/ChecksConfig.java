package io.lifeboat.config;

/**
 * Repository checks ({@code lifeboat check}, and the scheduled check workflow).
 *
 * @param maxAgeHours the newest backup of each source must be younger than this
 * @param daily, weekly, monthly how many completed days / ISO weeks / calendar months (in
 *     {@code schedules.timezone}) before the current one must each hold a committed backup
 */
public record ChecksConfig(String schedule, Integer maxAgeHours, Integer daily, Integer weekly,
    Integer monthly) {
  public static final ChecksConfig DEFAULT = new ChecksConfig(null, null, null, null, null);

  public ChecksConfig {
    schedule = schedule != null ? schedule : "15 * * * *";
    maxAgeHours = maxAgeHours != null ? maxAgeHours : 25;
    daily = daily != null ? daily : 7;
    weekly = weekly != null ? weekly : 4;
    monthly = monthly != null ? monthly : 0;
  }
}
