package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One PostgreSQL database to protect. {@code name} is the database name on the server and the
 * name operators type ({@code lifeboat backup db NAME}).
 */
public record DatabaseConfig(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) Integer port,
    @JsonProperty(required = true) String user,
    String passwordEnv,
    String backupSchedule,
    List<ValidationQuery> validation) {

  public DatabaseConfig {
    backupSchedule = backupSchedule != null ? backupSchedule : "0 2 * * *";
    validation = validation == null ? List.of() : List.copyOf(validation);
  }

  public String address() {
    return host + ":" + port;
  }

  /** A query whose single value an operator expects after a restore, e.g. a row count. */
  public record ValidationQuery(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) String sql,
      Long minimum) {}
}
