package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryChoice;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a recovery needs, resolved from the config by the CLI. Secrets stay names.
 *
 * @param repository the repository to read from, already resolved ({@link RepositoryChoice}):
 *     every activity reads the plan, the base backup, the WAL and the dump through it
 * @param rtoMinutes the promise this run is measured against (targets.databaseRtoMinutes)
 * @param estate for the report
 * @param notifications where started, status, finished and failed go; NONE for a recovery run
 *     as a part of another (a server recovery's database, a drill)
 * @param previousStepMillis each step's duration in the previous successful recovery of this
 *     database (its stored report), for the projected finish; empty when there is none
 * @param source the repository's name ({@code primary}, {@code offsite}); null in requests
 *     recorded before it existed, which read from the primary
 * @param reportsOffsite the offsite bucket the run's report is copied to as soon as it is
 *     stored; null: none (no offsite configured, or a recovery reading from the offsite)
 */
public record RecoveryRequest(
    DatabaseConfig database,
    RepositoryConfig repository,
    RecoveryTarget target,
    int rtoMinutes,
    String estate,
    RetryConfig retry,
    NotificationTarget notifications,
    Map<String, Long> previousStepMillis,
    String source,
    io.lifeboat.config.OffsiteConfig reportsOffsite) {

  /** Without the report's offsite copy: the shape before it. */
  public RecoveryRequest(DatabaseConfig database, RepositoryConfig repository,
      RecoveryTarget target, int rtoMinutes, String estate, RetryConfig retry,
      NotificationTarget notifications, Map<String, Long> previousStepMillis, String source) {
    this(database, repository, target, rtoMinutes, estate, retry, notifications,
        previousStepMillis, source, null);
  }

  public RecoveryRequest(DatabaseConfig database, RepositoryConfig repository,
      RecoveryTarget target, int rtoMinutes, String estate, RetryConfig retry) {
    this(database, repository, target, rtoMinutes, estate, retry, null, null, null, null);
  }

  /** The same, with the previous successful run's step durations (for the projection). */
  public RecoveryRequest withPreviousSteps(Map<String, Long> millis) {
    return new RecoveryRequest(database, repository, target, rtoMinutes, estate, retry,
        notifications, millis, source, reportsOffsite);
  }

  public RecoveryRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
    previousStepMillis = previousStepMillis != null ? Map.copyOf(previousStepMillis) : Map.of();
    target = target != null ? target : RecoveryTarget.latest();
  }

  /** The repository's name, {@code primary} for requests without one. */
  public String sourceName() {
    return source == null ? RepositoryChoice.PRIMARY : source;
  }

  /** What the report says about where the recovery read from. */
  public String describeSource() {
    return RepositoryChoice.describe(sourceName(), repository);
  }

  /**
   * A database recovered from any repository but the primary must not archive into the
   * primary's WAL archive (the lost site's, in a failover): unless recovery.serverSettings
   * already says where archiving goes (archive_mode or archive_command, the operator's word),
   * {@code archive_mode=off} is added, so the swapped-in server starts with archiving off.
   */
  public static DatabaseConfig withoutArchivingUnlessConfigured(DatabaseConfig db, String source) {
    if (source == null || RepositoryChoice.PRIMARY.equals(source)) return db;
    DatabaseConfig.RecoveryConfig r = db.recovery();
    if (archivingConfigured(r.serverSettings())) return db;
    List<String> settings = new ArrayList<>(r.serverSettings());
    settings.add(ARCHIVE_OFF);
    return db.with(db.host(), db.port(), new DatabaseConfig.RecoveryConfig(
            r.dataDirectory(), r.osUser(), r.binDir(), r.application(), r.downloadMbPerSecond(),
            settings), db.onHost());
  }

  static final String ARCHIVE_OFF = "archive_mode=off";

  static boolean archivingConfigured(List<String> settings) {
    return settings.stream().map(s -> s.split("=", 2)[0].strip().toLowerCase())
        .anyMatch(n -> n.equals("archive_mode") || n.equals("archive_command")
            || n.equals("archive_library"));
  }

  /** The report's line on archiving, for PITR (the server is rebuilt and started). */
  public String archivingFact() {
    List<String> s = database.recovery().serverSettings();
    if (RepositoryChoice.PRIMARY.equals(sourceName())) {
      return archivingConfigured(s) ? "as recovery.serverSettings say: " + archiving(s)
          : "as the restored configuration says (recovered from the primary)";
    }
    if (s.contains(ARCHIVE_OFF) && archiving(s).equals(ARCHIVE_OFF)) {
      return "off (archive_mode=off in postgresql.auto.conf): recovered from the "
          + sourceName() + ", so the server does not archive into the primary repository;"
          + " point archive_command at a repository that exists and turn archive_mode on";
    }
    return "as recovery.serverSettings say: " + archiving(s);
  }

  private static String archiving(List<String> s) {
    return String.join(", ", s.stream().filter(x -> archivingConfigured(List.of(x))).toList());
  }
}
