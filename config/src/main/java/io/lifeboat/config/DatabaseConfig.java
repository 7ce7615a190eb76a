package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One PostgreSQL database to protect. {@code name} is the database name on the server and the
 * name operators type ({@code lifeboat backup db NAME}). {@code host} is where PostgreSQL
 * answers over TCP; {@code onHost} names the machine ({@code hosts[].name}) its data directory
 * is on (a different key because {@code host} was taken by the address), unset on one machine.
 */
public record DatabaseConfig(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) Integer port,
    @JsonProperty(required = true) String user,
    String passwordEnv,
    String backupSchedule,
    List<ValidationQuery> validation,
    RecoveryConfig recovery,
    String onHost,
    // Left out of payloads when unset: a database without dump: is sent as it was before
    // issue 21 (recorded histories, and workers of a version before it, see the same JSON).
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) DumpConfig dump) {

  /** Nightly at 02:00 (schedules.timezone): every source's backup unless it says otherwise. */
  public static final String DEFAULT_BACKUP_SCHEDULE = "0 2 * * *";

  public DatabaseConfig {
    backupSchedule = backupSchedule != null ? backupSchedule : DEFAULT_BACKUP_SCHEDULE;
    validation = validation == null ? List.of() : List.copyOf(validation);
    recovery = recovery != null ? recovery : RecoveryConfig.DEFAULT;
  }

  /** How this database is dumped: its {@code dump:}, else the custom-format single stream. */
  public DumpConfig dumpSettings() {
    return dump != null ? dump : DumpConfig.DEFAULT;
  }

  /** Before {@code dump:} (issue 21): the custom-format single stream. */
  public DatabaseConfig(String name, String host, Integer port, String user, String passwordEnv,
      String backupSchedule, List<ValidationQuery> validation, RecoveryConfig recovery,
      String onHost) {
    this(name, host, port, user, passwordEnv, backupSchedule, validation, recovery, onHost, null);
  }

  /** The same database with another recovery and host (its dump settings kept). */
  public DatabaseConfig with(String host, Integer port, RecoveryConfig recovery, String onHost) {
    return new DatabaseConfig(name, host, port, user, passwordEnv, backupSchedule, validation,
        recovery, onHost, dump);
  }

  /**
   * How the full backup dumps the database (issue 21). {@code custom} (the default): one
   * {@code pg_dump -Fc} stream, compressed and encrypted on its way to the repository.
   * {@code directory}: {@code pg_dump -Fd -j jobs} into a scratch directory on the worker,
   * stored as one tar stream (compressed and encrypted the same way); verification and
   * recovery restore it with {@code pg_restore -j jobs}. For large databases with several
   * tables: the worker needs free space for the uncompressed dump.
   *
   * @param format custom or directory
   * @param jobs pg_dump/pg_restore parallel jobs for the directory format (default 2)
   */
  public record DumpConfig(String format, Integer jobs) {
    public static final String CUSTOM = "custom";
    public static final String DIRECTORY = "directory";
    public static final DumpConfig DEFAULT = new DumpConfig(CUSTOM, 1);

    public DumpConfig {
      format = format != null ? format : CUSTOM;
      jobs = jobs != null ? jobs : (DIRECTORY.equals(format) ? 2 : 1);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean directory() {
      return DIRECTORY.equals(format);
    }
  }

  /** A database of a one-machine estate (no {@code onHost:}). */
  public DatabaseConfig(String name, String host, Integer port, String user, String passwordEnv,
      String backupSchedule, List<ValidationQuery> validation, RecoveryConfig recovery) {
    this(name, host, port, user, passwordEnv, backupSchedule, validation, recovery, null);
  }

  /** A database without recovery settings (the server is asked for its data directory). */
  public DatabaseConfig(String name, String host, Integer port, String user, String passwordEnv,
      String backupSchedule, List<ValidationQuery> validation) {
    this(name, host, port, user, passwordEnv, backupSchedule, validation, null, null);
  }

  public String address() {
    return host + ":" + port;
  }

  /**
   * A query whose single value an operator expects after a restore, e.g. a row count.
   *
   * @param notAfterTarget the value is a timestamp (e.g. {@code select max(created_at) ...})
   *     that must not be later than a point-in-time recovery's target
   */
  public record ValidationQuery(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) String sql,
      Long minimum,
      Boolean notAfterTarget) {

    public ValidationQuery {
      notAfterTarget = notAfterTarget != null ? notAfterTarget : Boolean.FALSE;
    }

    public ValidationQuery(String name, String sql, Long minimum) {
      this(name, sql, minimum, null);
    }
  }

  /**
   * What a recovery needs to know about the server beyond a connection: where its data
   * directory is (asked from the server when it answers, needed from here when it does not),
   * which OS user runs it, and the application to stop while it is replaced.
   *
   * @param dataDirectory the cluster's data directory; when unset, recovery asks the server
   *     ({@code SHOW data_directory}) and, when the server is gone, the base backup manifest
   * @param osUser the OS user that owns the data directory and runs pg_ctl (default postgres)
   * @param binDir PostgreSQL server binaries (pg_ctl), default the worker's client tools' dir
   * @param application the application to stop during recovery; none when unset
   * @param downloadMbPerSecond caps what a recovery reads from the repository (base backup and
   *     WAL), for a link shared with production traffic; 0 for no cap
   * @param serverSettings NAME=VALUE lines written into the recovered cluster's
   *     postgresql.auto.conf before it starts, e.g. {@code archive_mode=off} for a copy that
   *     runs beside a live production and must not archive into its WAL archive
   */
  public record RecoveryConfig(
      String dataDirectory, String osUser, String binDir, ApplicationConfig application,
      Integer downloadMbPerSecond, java.util.List<String> serverSettings) {
    public static final RecoveryConfig DEFAULT = new RecoveryConfig(null, null, null, null, null);

    public RecoveryConfig {
      osUser = osUser != null ? osUser : "postgres";
      downloadMbPerSecond = downloadMbPerSecond != null ? downloadMbPerSecond : 0;
      serverSettings = serverSettings == null ? java.util.List.of()
          : java.util.List.copyOf(serverSettings);
    }

    public RecoveryConfig(String dataDirectory, String osUser, String binDir,
        ApplicationConfig application, Integer downloadMbPerSecond) {
      this(dataDirectory, osUser, binDir, application, downloadMbPerSecond, null);
    }
  }

  /**
   * The application that uses the database, stopped while it is recovered (the seed's PM2 app).
   *
   * @param pm2Name the PM2 process name; nothing is stopped when unset
   * @param pm2Home PM2_HOME of the user running the app, when not the worker's
   * @param healthUrl checked after the restart; a 2xx/3xx answer counts as healthy
   * @param host the {@code hosts[].name} whose PM2 runs the application (issue 17): its stop
   *     and start go to that host's agent; unset: the database's {@code onHost}
   */
  public record ApplicationConfig(String pm2Name, String pm2Home, String healthUrl, String host) {
    public ApplicationConfig(String pm2Name, String pm2Home, String healthUrl) {
      this(pm2Name, pm2Home, healthUrl, null);
    }
  }

  /** The host whose agent stops and starts the application of a recovery; null: one machine. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String applicationHost() {
    ApplicationConfig app = recovery.application();
    return app != null && app.host() != null ? app.host() : onHost;
  }
}
