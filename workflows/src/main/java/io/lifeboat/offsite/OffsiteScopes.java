package io.lifeboat.offsite;

import java.util.List;

/**
 * What an offsite copy covers, as key prefixes relative to the repository prefix (the layout of
 * {@code RepositoryLayout}). Run reports (reports/) are copied by {@code offsite sync}, one object
 * at a time like WAL (they have no manifest), and no backup retention ever removes them: they
 * are kept for the audit ({@code retention.reportsAuditDays}). A run's report is also copied as
 * soon as it is stored when its request names the offsite (ReportWriter); the sync makes up a
 * copy that failed then. Restore points (points/NAME.json, {@code lifeboat snapshot}) are copied
 * and kept offsite the same way, one object at a time, never removed by backup retention.
 */
public final class OffsiteScopes {
  private OffsiteScopes() {}

  public static List<String> databaseDumps(String database) {
    return List.of("db/" + database + "/full/");
  }

  /**
   * A base backup and the WAL archive of its cluster: WAL is copied after each base backup (and
   * by every `offsite sync`), so the offsite copy can replay to the newest segment copied.
   */
  public static List<String> baseBackups(String database) {
    return List.of("db/" + database + "/base/", "wal/" + database + "/");
  }

  public static List<String> application(String app) {
    return List.of("app/" + app + "/");
  }

  public static List<String> configuration() {
    return List.of("config/");
  }

  /** Everything `offsite sync` copies. */
  public static List<String> all() {
    return List.of("db/", "app/", "config/", "wal/", "reports/", "points/");
  }

  /** Run reports: recoveries, rollbacks, drills and the check's memory. */
  public static List<String> reports() {
    return List.of("reports/");
  }

  /**
   * Copied and kept one object at a time, without a manifest: WAL, run reports and restore
   * points.
   */
  public static boolean isOneByOne(String relativeKey) {
    return isWal(relativeKey) || relativeKey.startsWith("reports/")
        || relativeKey.startsWith("points/");
  }

  /**
   * The WAL archive of one database alone: what the WAL sync schedule copies every few
   * minutes, so the offsite recovery point follows the primary's.
   */
  public static List<String> walOf(String database) {
    return List.of("wal/" + database + "/");
  }

  /** The database of a {@code wal/NAME/} scope, null for any other scope. */
  public static String walDatabase(String scope) {
    // "wal/" alone (a whole sync) names no database.
    if (scope.length() <= "wal/".length() || !scope.startsWith("wal/") || !scope.endsWith("/")) {
      return null;
    }
    String name = scope.substring(4, scope.length() - 1);
    return name.isEmpty() || name.contains("/") ? null : name;
  }

  /** WAL objects are committed one by one (put-if-absent): they need no manifest. */
  public static boolean isWal(String relativeKey) {
    return relativeKey.startsWith("wal/");
  }
}
