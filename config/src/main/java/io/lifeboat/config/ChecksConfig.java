package io.lifeboat.config;

/**
 * Repository checks ({@code lifeboat check}, and the scheduled check workflow).
 *
 * @param maxAgeHours the newest database dump of each database must be younger than this
 * @param daily, weekly, monthly how many completed days / ISO weeks / calendar months (in
 *     {@code schedules.timezone}) before the current one must each hold a committed database
 *     dump
 * @param baseMaxAgeHours the newest base backup of each database must be younger than this
 *     (default 192: the weekly {@code wal.baseSchedule} and a day)
 * @param appMaxAgeHours the newest application backup of each application (default 25: daily)
 * @param configMaxAgeHours the newest configuration backup (default 192: weekly and a day)
 * @param drillGraceDays a drill cadence is overdue when no drill of it succeeded in its period
 *     (monthly 31 days, quarterly 92) plus this many days (default 3)
 * @param redisMaxAgeHours the newest Redis backup of each {@code redis:} server (default 25)
 * @param mariadbMaxAgeHours the newest MariaDB dump of each {@code mariadb:} server (default 25)
 * @param opensearchMaxAgeHours the newest OpenSearch snapshot of each {@code opensearch:}
 *     source (default 25)
 * @param filesMaxAgeHours the newest files backup whose restic check passed, of each
 *     {@code files:} source (default 25)
 */
public record ChecksConfig(String schedule, Integer maxAgeHours, Integer daily, Integer weekly,
    Integer monthly, Integer baseMaxAgeHours, Integer appMaxAgeHours, Integer configMaxAgeHours,
    Integer drillGraceDays, Integer redisMaxAgeHours, Integer mariadbMaxAgeHours,
    Integer opensearchMaxAgeHours, Integer filesMaxAgeHours) {
  public static final ChecksConfig DEFAULT = new ChecksConfig(null, null, null, null, null);

  public ChecksConfig {
    schedule = schedule != null ? schedule : "15 * * * *";
    maxAgeHours = maxAgeHours != null ? maxAgeHours : 25;
    daily = daily != null ? daily : 7;
    weekly = weekly != null ? weekly : 4;
    monthly = monthly != null ? monthly : 0;
    baseMaxAgeHours = baseMaxAgeHours != null ? baseMaxAgeHours : 192;
    appMaxAgeHours = appMaxAgeHours != null ? appMaxAgeHours : 25;
    configMaxAgeHours = configMaxAgeHours != null ? configMaxAgeHours : 192;
    drillGraceDays = drillGraceDays != null ? drillGraceDays : 3;
    redisMaxAgeHours = redisMaxAgeHours != null ? redisMaxAgeHours : 25;
    mariadbMaxAgeHours = mariadbMaxAgeHours != null ? mariadbMaxAgeHours : 25;
    opensearchMaxAgeHours = opensearchMaxAgeHours != null ? opensearchMaxAgeHours : 25;
    filesMaxAgeHours = filesMaxAgeHours != null ? filesMaxAgeHours : 25;
  }

  /** Without the Redis, MariaDB, OpenSearch and files limits: the shape before those kinds. */
  public ChecksConfig(String schedule, Integer maxAgeHours, Integer daily, Integer weekly,
      Integer monthly, Integer baseMaxAgeHours, Integer appMaxAgeHours,
      Integer configMaxAgeHours, Integer drillGraceDays) {
    this(schedule, maxAgeHours, daily, weekly, monthly, baseMaxAgeHours, appMaxAgeHours,
        configMaxAgeHours, drillGraceDays, null, null, null, null);
  }

  /** Dumps' limits only: the shape before the other kinds were checked. */
  public ChecksConfig(String schedule, Integer maxAgeHours, Integer daily, Integer weekly,
      Integer monthly) {
    this(schedule, maxAgeHours, daily, weekly, monthly, null, null, null, null, null, null, null,
        null);
  }
}
