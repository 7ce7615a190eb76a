package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One machine of the estate ({@code hosts:}). A Lifeboat agent on it ({@code lifeboat agent
 * --host NAME}) polls the host's own task queue and runs the work that needs the host's files
 * or processes. Without a {@code hosts:} section the estate is one machine and the one worker
 * does everything.
 *
 * @param name what sources name in their {@code host:} and what the agent is started with
 * @param address where the host is reached (informational for now: agents dial Temporal)
 * @param roles free-form labels (database, application, proxy, ...), shown to operators
 */
public record HostConfig(
    @JsonProperty(required = true) String name,
    String address,
    List<String> roles) {

  public HostConfig {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }
}
