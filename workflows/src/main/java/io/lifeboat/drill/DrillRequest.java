package io.lifeboat.drill;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.DrillsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.TargetsConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * One drill. The production estate (databases, applications) is passed so the drill can
 * restore from its backups and refuse to touch it; the targets it works on come from
 * {@link DrillsConfig} (scratch database, scratch directory, PM2 name, port).
 *
 * @param kind {@link DrillScenarios#MONTHLY} or {@link DrillScenarios#QUARTERLY}
 * @param scenario one of {@link DrillScenarios#NAMES} to override the calendar, or null
 * @param servers the config's servers: (recovery targets); the full-system scenario recovers
 *     onto the one {@link DrillsConfig#serverTarget()} names, never a production one
 */
public record DrillRequest(
    String estate,
    String kind,
    String scenario,
    List<DatabaseConfig> databases,
    List<ApplicationConfig> applications,
    RepositoryConfig repository,
    RetryConfig retry,
    TargetsConfig targets,
    DrillsConfig drills,
    NotificationTarget notification,
    List<ServerTargetConfig> servers,
    io.lifeboat.config.ApprovalsConfig approvals,
    io.lifeboat.config.OffsiteConfig reportsOffsite,
    List<io.lifeboat.config.MariaDbConfig> mariadb,
    List<io.lifeboat.config.RedisConfig> redis,
    List<io.lifeboat.config.OpenSearchConfig> opensearch,
    List<io.lifeboat.config.FilesConfig> files) {

  /**
   * Without files sources (the shape before the files scenario): files are the config's files
   * sources the files scenario restores from.
   */
  public DrillRequest(String estate, String kind, String scenario,
      List<DatabaseConfig> databases, List<ApplicationConfig> applications,
      RepositoryConfig repository, RetryConfig retry, TargetsConfig targets, DrillsConfig drills,
      NotificationTarget notification, List<ServerTargetConfig> servers,
      io.lifeboat.config.ApprovalsConfig approvals,
      io.lifeboat.config.OffsiteConfig reportsOffsite,
      List<io.lifeboat.config.MariaDbConfig> mariadb,
      List<io.lifeboat.config.RedisConfig> redis,
      List<io.lifeboat.config.OpenSearchConfig> opensearch) {
    this(estate, kind, scenario, databases, applications, repository, retry, targets, drills,
        notification, servers, approvals, reportsOffsite, mariadb, redis, opensearch, null);
  }

  /**
   * Without the engines beyond PostgreSQL (issue 19; the shape before their drill scenarios):
   * mariadb, redis, opensearch are the config's sources the engine scenarios restore from.
   */
  public DrillRequest(String estate, String kind, String scenario,
      List<DatabaseConfig> databases, List<ApplicationConfig> applications,
      RepositoryConfig repository, RetryConfig retry, TargetsConfig targets, DrillsConfig drills,
      NotificationTarget notification, List<ServerTargetConfig> servers,
      io.lifeboat.config.ApprovalsConfig approvals,
      io.lifeboat.config.OffsiteConfig reportsOffsite) {
    this(estate, kind, scenario, databases, applications, repository, retry, targets, drills,
        notification, servers, approvals, reportsOffsite, null, null, null);
  }

  /**
   * Without the report's offsite copy (the shape before it). reportsOffsite: the offsite
   * bucket the drill's report is copied to as soon as it is stored; null: none.
   */
  public DrillRequest(String estate, String kind, String scenario,
      List<DatabaseConfig> databases, List<ApplicationConfig> applications,
      RepositoryConfig repository, RetryConfig retry, TargetsConfig targets, DrillsConfig drills,
      NotificationTarget notification, List<ServerTargetConfig> servers,
      io.lifeboat.config.ApprovalsConfig approvals) {
    this(estate, kind, scenario, databases, applications, repository, retry, targets, drills,
        notification, servers, approvals, null);
  }

  /** The shape before approver lists (issue 22). */
  public DrillRequest(String estate, String kind, String scenario,
      List<DatabaseConfig> databases, List<ApplicationConfig> applications,
      RepositoryConfig repository, RetryConfig retry, TargetsConfig targets, DrillsConfig drills,
      NotificationTarget notification, List<ServerTargetConfig> servers) {
    this(estate, kind, scenario, databases, applications, repository, retry, targets, drills,
        notification, servers, null);
  }

  public DrillRequest {
    approvals = approvals != null ? approvals : io.lifeboat.config.ApprovalsConfig.NONE;
    databases = databases == null ? List.of() : List.copyOf(databases);
    applications = applications == null ? List.of() : List.copyOf(applications);
    targets = targets != null ? targets : TargetsConfig.DEFAULT;
    drills = drills != null ? drills : DrillsConfig.DEFAULT;
    notification = notification != null ? notification : NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    servers = servers == null ? List.of() : List.copyOf(servers);
    mariadb = mariadb == null ? List.of() : List.copyOf(mariadb);
    redis = redis == null ? List.of() : List.copyOf(redis);
    opensearch = opensearch == null ? List.of() : List.copyOf(opensearch);
    files = files == null ? List.of() : List.copyOf(files);
  }
}
