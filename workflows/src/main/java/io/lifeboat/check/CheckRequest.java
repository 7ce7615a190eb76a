package io.lifeboat.check;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.List;

/**
 * @param timezone calendar days, weeks and months for retention compliance are counted here
 * @param nowMillis the time the check is about (workflow time, or the CLI's clock)
 * @param remember store the failing findings and report whether they changed since the last
 *     remembered check (the scheduled workflow does, so it notifies once per change, not hourly)
 */
public record CheckRequest(List<CheckSource> sources, RepositoryConfig repository,
    ChecksConfig checks, String timezone, long nowMillis, boolean remember) {

  public CheckRequest {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }
}
