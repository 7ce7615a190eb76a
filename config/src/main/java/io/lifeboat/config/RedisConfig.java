package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One Redis server to protect ({@code redis:}). Backups talk to it over TCP ({@code redis-cli
 * --rdb}, a replication connection); recovery writes {@code dataDir} and starts
 * {@code redis-server}, so it runs on the machine named by {@code host} (the agent of that
 * {@code hosts[].name}; unset on a one-machine estate).
 *
 * @param name what operators type ({@code lifeboat backup redis NAME})
 * @param host the estate's host the server runs on ({@code hosts[].name}); null: this machine
 * @param address where the server answers (default 127.0.0.1)
 * @param port default 6379
 * @param passwordEnv the environment variable holding the password (requirepass); null: none
 * @param dataDir the server's {@code dir}: where recovery places the RDB
 * @param appendonly whether the server runs with AOF; recovery turns it back on after loading
 * @param configFile a redis.conf recovery starts the server with (its own settings after it)
 * @param backupSchedule when `schedules apply` has it backed up (cron, in schedules.timezone;
 *     default {@code 0 2 * * *}, nightly like the databases)
 */
public record RedisConfig(
    @JsonProperty(required = true) String name,
    String host,
    String address,
    Integer port,
    String passwordEnv,
    String dataDir,
    Boolean appendonly,
    String configFile,
    String backupSchedule) {

  /** Without a schedule of its own (the nightly default). */
  public RedisConfig(String name, String host, String address, Integer port, String passwordEnv,
      String dataDir, Boolean appendonly, String configFile) {
    this(name, host, address, port, passwordEnv, dataDir, appendonly, configFile, null);
  }

  public RedisConfig {
    address = address != null ? address : "127.0.0.1";
    port = port != null ? port : 6379;
    appendonly = appendonly != null && appendonly;
    backupSchedule = backupSchedule != null ? backupSchedule : DatabaseConfig.DEFAULT_BACKUP_SCHEDULE;
  }
}
