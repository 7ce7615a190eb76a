package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;

/**
 * One database or application a server recovery restores (issue 17), resolved from the
 * target's {@code databases:} / {@code applications:} by the CLI.
 *
 * @param kind {@link #DATABASE} or {@link #APPLICATION}
 * @param name its databases[] / applications[] name
 * @param priority 1 (P1, critical), 2 (P2, high) or 3 (P3, medium)
 * @param rtoMinutes the promise for this kind (targets.databaseRtoMinutes or
 *     applicationRtoMinutes): the report sets each item's time against it
 * @param database production's entry (databases only)
 * @param application production's entry (applications only)
 * @param dependsOn the database an application needs (restored before it); null for databases
 */
public record RestoreItem(String kind, String name, int priority, int rtoMinutes,
    DatabaseConfig database, ApplicationConfig application, String dependsOn) {
  public static final String DATABASE = "database";
  public static final String APPLICATION = "application";

  public static RestoreItem database(DatabaseConfig db, int priority, int rtoMinutes) {
    return new RestoreItem(DATABASE, db.name(), priority, rtoMinutes, db, null, null);
  }

  public static RestoreItem application(ApplicationConfig app, int priority, int rtoMinutes,
      String dependsOn) {
    return new RestoreItem(APPLICATION, app.name(), priority, rtoMinutes, null, app, dependsOn);
  }

  /** "P1 database farmtally_production": how the report and its steps name it. */
  public String label() {
    return "P" + priority + " " + kind + " " + name;
  }

  boolean isDatabase() {
    return DATABASE.equals(kind);
  }
}
