package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One MariaDB (or MySQL) server to protect ({@code mariadb:}, issue 19). Backups and recovery
 * talk to it over TCP with the {@code mariadb} and {@code mariadb-dump} clients, so they run on
 * any machine that reaches the port; {@code host} names the estate's host it runs on (for the
 * host-bound steps a physical backup will add; unset on a one-machine estate).
 *
 * @param name what operators type ({@code lifeboat backup mariadb NAME})
 * @param host the estate's host the server runs on ({@code hosts[].name}); null: this machine
 * @param address where the server answers (default 127.0.0.1)
 * @param port default 3306
 * @param user the account the clients log in as (default root); it needs SELECT, SHOW VIEW,
 *     TRIGGER, EVENT, LOCK TABLES, RELOAD and BINLOG MONITOR (REPLICATION CLIENT) to back up,
 *     and CREATE, DROP, ALTER and INSERT to recover
 * @param passwordEnv the environment variable holding the password; null: none
 * @param databases the databases to back up (one consistent dump of all of them)
 * @param all back up every database but the server's own (mysql, sys, information_schema,
 *     performance_schema) instead of a list
 * @param method how {@code backup mariadb} copies the server: {@code logical} (mariadb-dump,
 *     the default) or {@code physical} (mariadb-backup --backup --stream=xbstream, which reads
 *     the data directory: it runs on the server's host)
 * @param binlogArchiveSeconds the pause between two passes of continuous binlog archiving
 *     ({@code backup mariadb-binlogs NAME}); default 60
 * @param dataDir the server's data directory on its host ({@code datadir}): recovery from a
 *     physical backup prepares the copy in a new directory beside it and swaps it in, the old
 *     one kept; null: physical recovery is refused
 * @param defaultsFile the option file recovery starts {@code mariadbd} with
 *     ({@code --defaults-file}; port, socket, log-bin, ...); null: mariadbd's usual option
 *     files (/etc/mysql/my.cnf)
 * @param backupSchedule when `schedules apply` has it backed up (cron, in schedules.timezone;
 *     default {@code 0 2 * * *}, nightly like the databases)
 * @param binlogArchive whether `schedules apply` keeps continuous binlog archiving running
 *     (starts {@code backup mariadb-binlogs NAME} when it is not); default false
 */
public record MariaDbConfig(
    @JsonProperty(required = true) String name,
    String host,
    String address,
    Integer port,
    String user,
    String passwordEnv,
    List<String> databases,
    Boolean all,
    String method,
    Integer binlogArchiveSeconds,
    String dataDir,
    String defaultsFile,
    String backupSchedule,
    Boolean binlogArchive) {

  /** The server's own schemas: never dumped, never restored over. */
  public static final List<String> SYSTEM_SCHEMAS =
      List.of("mysql", "sys", "information_schema", "performance_schema");

  public static final String LOGICAL = "logical";
  public static final String PHYSICAL = "physical";

  /** The config without a method (older callers and tests). */
  public MariaDbConfig(String name, String host, String address, Integer port, String user,
      String passwordEnv, List<String> databases, Boolean all) {
    this(name, host, address, port, user, passwordEnv, databases, all, null, null, null, null,
        null, null);
  }

  /** The config without a data directory (older callers and tests). */
  public MariaDbConfig(String name, String host, String address, Integer port, String user,
      String passwordEnv, List<String> databases, Boolean all, String method,
      Integer binlogArchiveSeconds) {
    this(name, host, address, port, user, passwordEnv, databases, all, method,
        binlogArchiveSeconds, null, null, null, null);
  }

  /** The config without a schedule (older callers and tests). */
  public MariaDbConfig(String name, String host, String address, Integer port, String user,
      String passwordEnv, List<String> databases, Boolean all, String method,
      Integer binlogArchiveSeconds, String dataDir, String defaultsFile) {
    this(name, host, address, port, user, passwordEnv, databases, all, method,
        binlogArchiveSeconds, dataDir, defaultsFile, null, null);
  }

  public MariaDbConfig {
    address = address != null ? address : "127.0.0.1";
    port = port != null ? port : 3306;
    user = user != null ? user : "root";
    databases = databases == null ? List.of() : List.copyOf(databases);
    all = all != null && all;
    method = method != null ? method : LOGICAL;
    binlogArchiveSeconds = binlogArchiveSeconds != null ? binlogArchiveSeconds : 60;
    backupSchedule = backupSchedule != null ? backupSchedule : DatabaseConfig.DEFAULT_BACKUP_SCHEDULE;
    binlogArchive = binlogArchive != null && binlogArchive;
  }

  public boolean physical() {
    return PHYSICAL.equals(method);
  }

  public String where() {
    return "mariadb " + name + " at " + address + ":" + port;
  }
}
