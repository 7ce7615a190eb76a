package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * What the daily verification covers, resolved from the config when the run (or its schedule)
 * was created. Other backup kinds (applications, base backups) add their sources as trailing
 * components and a {@link SourceVerifier} of their own.
 *
 * @param restore false: stop after checksum and format checks (no scratch database)
 * @param parallel sources verified at once ({@code verification.parallel}, issue 21); absent in
 *     requests made before it: one at a time, as those runs were recorded
 */
public record VerificationRequest(
    List<DatabaseConfig> databases,
    RepositoryConfig repository,
    boolean restore,
    RetryConfig retry,
    NotificationTarget notifications,
    Integer parallel) {

  public VerificationRequest {
    databases = databases == null ? List.of() : List.copyOf(databases);
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
    parallel = parallel != null && parallel > 0 ? parallel : 1;
  }

  /** The shape before {@code parallel}: one source at a time. */
  public VerificationRequest(List<DatabaseConfig> databases, RepositoryConfig repository,
      boolean restore, RetryConfig retry, NotificationTarget notifications) {
    this(databases, repository, restore, retry, notifications, null);
  }
}
