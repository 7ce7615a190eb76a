package io.lifeboat.check;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RepositoryConfig;
import java.util.List;

/**
 * @param timezone calendar days, weeks and months for retention compliance are counted here
 * @param nowMillis the time the check is about (workflow time, or the CLI's clock)
 * @param remember store the failing findings and report whether they changed since the last
 *     remembered check (the scheduled workflow does, so it notifies once per change, not hourly)
 * @param reportsAuditDays with {@code remember}: run reports older than this many days are
 *     removed ({@code retention.reportsAuditDays}); null: none are
 */
public record CheckRequest(List<CheckSource> sources, RepositoryConfig repository,
    ChecksConfig checks, String timezone, long nowMillis, boolean remember,
    Integer reportsAuditDays) {

  /** Without the reports' audit retention (the CLI's check: it only reads). */
  public CheckRequest(List<CheckSource> sources, RepositoryConfig repository,
      ChecksConfig checks, String timezone, long nowMillis, boolean remember) {
    this(sources, repository, checks, timezone, nowMillis, remember, null);
  }

  public CheckRequest {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }
}
