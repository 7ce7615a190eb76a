package io.lifeboat.config;

import java.util.List;

/**
 * DR drills (the seed's monthly recovery tests and rotating quarterly exercises).
 *
 * @param lead the drill lead, named in notifications and the report
 * @param approvers who may approve a drill's steps; empty: the lead if named, else anyone who
 *     names themself
 * @param monthlySchedule cron of the monthly drill (database + application restore test);
 *     null: not scheduled
 * @param quarterlySchedule cron of the quarterly drill (Q1 database, Q2 application, Q3 full
 *     system, Q4 all); null: not scheduled
 * @param reminderMinutes a step waiting longer than this notifies again, and again
 * @param scratchDatabase the database name restores go into (null: lifeboat_drill_DB_RUN, one
 *     per run); never a configured database
 * @param appDir where the application is restored (null: beside its release root,
 *     RELEASEROOT-drill); never the release root itself
 * @param appPm2Name the PM2 name the restored copy runs under (null: PM2NAME-drill)
 * @param appPort the port it listens on (null: 3390); never the production port
 * @param serverTarget the servers[].name the full-system scenario recovers onto (null: the only
 *     non-production target); never a production one
 */
public record DrillsConfig(
    String lead,
    List<String> approvers,
    String monthlySchedule,
    String quarterlySchedule,
    Integer reminderMinutes,
    String scratchDatabase,
    String appDir,
    String appPm2Name,
    Integer appPort,
    String serverTarget) {
  public static final DrillsConfig DEFAULT =
      new DrillsConfig(null, null, null, null, null, null, null, null, null, null);

  public DrillsConfig {
    approvers = approvers == null ? (lead == null || lead.isBlank() ? List.of() : List.of(lead))
        : List.copyOf(approvers);
    reminderMinutes = reminderMinutes != null ? reminderMinutes : 30;
    appPort = appPort != null ? appPort : 3390;
  }

  /** The same section with the run's target overrides (from `drill start`'s options). */
  public DrillsConfig withTarget(String scratchDatabase, String appDir, String appPm2Name,
      Integer appPort) {
    return new DrillsConfig(lead, approvers, monthlySchedule, quarterlySchedule, reminderMinutes,
        scratchDatabase != null ? scratchDatabase : this.scratchDatabase,
        appDir != null ? appDir : this.appDir,
        appPm2Name != null ? appPm2Name : this.appPm2Name,
        appPort != null ? appPort : this.appPort, serverTarget);
  }
}
