package io.lifeboat.check;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * The scheduled check's input, resolved from the config when the schedule was applied.
 *
 * @param reportsAuditDays {@code retention.reportsAuditDays}: run reports older than this are
 *     removed by the check; null (schedules applied before it existed): none are
 */
public record RepositoryCheckRequest(List<CheckSource> sources, RepositoryConfig repository,
    ChecksConfig checks, String timezone, RetryConfig retry, NotificationTarget notifications,
    Integer reportsAuditDays) {

  /** Without the reports' audit retention: the shape before it. */
  public RepositoryCheckRequest(List<CheckSource> sources, RepositoryConfig repository,
      ChecksConfig checks, String timezone, RetryConfig retry,
      NotificationTarget notifications) {
    this(sources, repository, checks, timezone, retry, notifications, null);
  }

  public RepositoryCheckRequest {
    sources = sources == null ? List.of() : List.copyOf(sources);
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }
}
