package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One database or application a recovery target restores, with its priority (the seed's
 * "Recovery Priorities": P1 critical, P2 high, P3 medium). {@code recover server} restores every
 * P1 item before any P2 one, and within a priority the databases before the applications.
 *
 * @param name a {@code databases[].name} or {@code applications[].name} of this file
 * @param priority {@code P1}, {@code P2}, {@code P3} (or 1, 2, 3); unset: P1
 * @param port where this database's cluster, or this application, listens on the target;
 *     needed for every database but the target's own {@code database:} (that one is
 *     {@code postgres.port}) and every application but its own {@code application:} (that one
 *     is {@code appPort})
 * @param database applications only: the database it depends on (restored before it); unset:
 *     the target's {@code database:}
 */
public record TargetItem(
    @JsonProperty(required = true) String name,
    String priority,
    Integer port,
    String database) {
  private static final Pattern PRIORITY = Pattern.compile("[Pp]?([1-3])");

  public TargetItem {
    priority = priority != null ? priority.strip() : "P1";
  }

  /** An item of priority {@code rank} (1..3). */
  public static TargetItem of(String name, int rank) {
    return new TargetItem(name, "P" + rank, null, null);
  }

  /** 1, 2 or 3; 0 when the priority is not one of P1..P3 / 1..3 (the loader refuses those). */
  @JsonIgnore
  public int rank() {
    Matcher m = PRIORITY.matcher(priority);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
