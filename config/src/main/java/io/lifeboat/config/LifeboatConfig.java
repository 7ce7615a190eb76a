package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The estate as one YAML file describes it. Records here cross the workflow boundary as
 * arguments, so they hold names of secrets (environment variables, files), never secrets.
 */
public record LifeboatConfig(
    @JsonProperty(required = true) String estate,
    TemporalConfig temporal,
    @JsonProperty(required = true) RepositoryConfig repository,
    @JsonProperty(required = true) List<DatabaseConfig> databases,
    RetentionConfig retention,
    SchedulesConfig schedules,
    TargetsConfig targets,
    CompressionConfig compression,
    MetricsConfig metrics,
    RetryConfig retries,
    VerificationConfig verification,
    ChecksConfig checks,
    NotificationsConfig notifications,
    List<ApplicationConfig> applications,
    ConfigurationBackupConfig configuration,
    WalConfig wal,
    DrillsConfig drills,
    List<ServerTargetConfig> servers,
    OffsiteConfig offsite,
    List<HostConfig> hosts,
    List<RedisConfig> redis,
    List<FilesConfig> files,
    WorkerConfig worker,
    List<OpenSearchConfig> opensearch,
    ReadinessConfig readiness,
    ApprovalsConfig approvals,
    List<MariaDbConfig> mariadb,
    RestorePointsConfig restorePoints,
    List<OffsiteConfig> repositories,
    List<BaculaConfig> bacula) {

  /** The shape before issue 20's {@code bacula:} jobs. */
  public LifeboatConfig(String estate, TemporalConfig temporal, RepositoryConfig repository,
      List<DatabaseConfig> databases, RetentionConfig retention, SchedulesConfig schedules,
      TargetsConfig targets, CompressionConfig compression, MetricsConfig metrics,
      RetryConfig retries, VerificationConfig verification, ChecksConfig checks,
      NotificationsConfig notifications, List<ApplicationConfig> applications,
      ConfigurationBackupConfig configuration, WalConfig wal, DrillsConfig drills,
      List<ServerTargetConfig> servers, OffsiteConfig offsite, List<HostConfig> hosts,
      List<RedisConfig> redis, List<FilesConfig> files, WorkerConfig worker,
      List<OpenSearchConfig> opensearch, ReadinessConfig readiness, ApprovalsConfig approvals,
      List<MariaDbConfig> mariadb, RestorePointsConfig restorePoints,
      List<OffsiteConfig> repositories) {
    this(estate, temporal, repository, databases, retention, schedules, targets, compression,
        metrics, retries, verification, checks, notifications, applications, configuration, wal,
        drills, servers, offsite, hosts, redis, files, worker, opensearch, readiness, approvals,
        mariadb, restorePoints, repositories, null);
  }

  /** The shape before issue 20's {@code repositories:} list. */
  public LifeboatConfig(String estate, TemporalConfig temporal, RepositoryConfig repository,
      List<DatabaseConfig> databases, RetentionConfig retention, SchedulesConfig schedules,
      TargetsConfig targets, CompressionConfig compression, MetricsConfig metrics,
      RetryConfig retries, VerificationConfig verification, ChecksConfig checks,
      NotificationsConfig notifications, List<ApplicationConfig> applications,
      ConfigurationBackupConfig configuration, WalConfig wal, DrillsConfig drills,
      List<ServerTargetConfig> servers, OffsiteConfig offsite, List<HostConfig> hosts,
      List<RedisConfig> redis, List<FilesConfig> files, WorkerConfig worker,
      List<OpenSearchConfig> opensearch, ReadinessConfig readiness, ApprovalsConfig approvals,
      List<MariaDbConfig> mariadb, RestorePointsConfig restorePoints) {
    this(estate, temporal, repository, databases, retention, schedules, targets, compression,
        metrics, retries, verification, checks, notifications, applications, configuration, wal,
        drills, servers, offsite, hosts, redis, files, worker, opensearch, readiness, approvals,
        mariadb, restorePoints, null, null);
  }

  public LifeboatConfig {
    worker = worker != null ? worker : WorkerConfig.DEFAULT;
    opensearch = opensearch == null ? List.of() : List.copyOf(opensearch);
    readiness = readiness != null ? readiness : ReadinessConfig.DEFAULT;
    approvals = approvals != null ? approvals : ApprovalsConfig.NONE;
    mariadb = mariadb == null ? List.of() : List.copyOf(mariadb);
    restorePoints = restorePoints != null ? restorePoints : RestorePointsConfig.DEFAULT;
    redis = redis == null ? List.of() : List.copyOf(redis);
    files = files == null ? List.of() : List.copyOf(files);
    bacula = bacula == null ? List.of() : List.copyOf(bacula);
    // offsite stays null when the section is absent: no second repository, nothing copied.
    // After loading (ConfigLoader), offsite is the first copy repository with the others as
    // its siblings, and repositories lists them all, whichever section the file used.
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    temporal = temporal != null ? temporal : TemporalConfig.DEFAULT;
    retention = retention != null ? retention : RetentionConfig.DEFAULT;
    schedules = schedules != null ? schedules : SchedulesConfig.DEFAULT;
    targets = targets != null ? targets : TargetsConfig.DEFAULT;
    compression = compression != null ? compression : CompressionConfig.DEFAULT;
    metrics = metrics != null ? metrics : MetricsConfig.DEFAULT;
    retries = retries != null ? retries : RetryConfig.DEFAULT;
    wal = wal != null ? wal : WalConfig.DEFAULT;
    databases = databases == null ? List.of() : List.copyOf(databases);
    verification = verification != null ? verification : VerificationConfig.DEFAULT;
    checks = checks != null ? checks : ChecksConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationsConfig.NONE;
    applications = applications == null ? List.of() : List.copyOf(applications);
    configuration = configuration != null ? configuration : ConfigurationBackupConfig.DEFAULT;
    drills = drills != null ? drills : DrillsConfig.DEFAULT;
    servers = servers == null ? List.of() : List.copyOf(servers);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** Every copy repository (issue 20), in the file's order; empty without offsite/repositories. */
  public List<OffsiteConfig> copyRepositories() {
    if (!repositories.isEmpty()) return repositories;
    return offsite == null ? List.of() : offsite.all();
  }

  /** The copy repository named so, or empty. */
  public java.util.Optional<OffsiteConfig> copyRepository(String name) {
    return copyRepositories().stream().filter(r -> r.repositoryName().equals(name)).findFirst();
  }

  /** The OpenSearch source named so in {@code opensearch:}, or empty. */
  public java.util.Optional<OpenSearchConfig> openSearchSource(String name) {
    return opensearch.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /** The MariaDB server named so in {@code mariadb:}, or empty. */
  public java.util.Optional<MariaDbConfig> mariadbServer(String name) {
    return mariadb.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The Bacula job named so ({@code bacula:}), or empty. */
  public java.util.Optional<BaculaConfig> baculaJob(String name) {
    return bacula.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** The files source named so ({@code files:}), or empty. */
  public java.util.Optional<FilesConfig> filesSource(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The Redis server named so in {@code redis:}, or empty. */
  public java.util.Optional<RedisConfig> redisServer(String name) {
    return redis.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The host named so in {@code hosts:}, or empty. */
  public java.util.Optional<HostConfig> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /**
   * The address of the host holding files source {@code f}'s repository ({@code
   * files[].repositoryHost}), or null when the repository is on the source's own host.
   */
  public String repositoryAddress(FilesConfig f) {
    return f.repositoryHost() == null ? null
        : host(f.repositoryHost()).map(HostConfig::address).orElse(null);
  }

  /** The database named so in this file, or empty. */
  public java.util.Optional<DatabaseConfig> database(String name) {
    return databases.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** The recovery target server named so in this file ({@code servers:}), or empty. */
  public java.util.Optional<ServerTargetConfig> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The application named so in this file, or empty. */
  public java.util.Optional<ApplicationConfig> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
