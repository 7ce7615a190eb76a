package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * One offsite copy run: make the offsite bucket hold every committed backup under the scopes.
 *
 * @param kind what triggered it (db-full, db-base, app, config, or "all" for `offsite sync`)
 * @param source the database, application or estate; "all" for `offsite sync`
 * @param scopes key prefixes relative to the repository prefix, e.g. "db/farmtally/full/"
 *     (see {@link OffsiteScopes})
 * @param applyRetention apply the offsite retention policy to the scopes after the copy
 */
public record OffsiteCopyRequest(
    RepositoryConfig primary,
    OffsiteConfig offsite,
    String kind,
    String source,
    List<String> scopes,
    boolean applyRetention,
    RetryConfig retry,
    NotificationTarget notifications) {

  public OffsiteCopyRequest {
    scopes = List.copyOf(scopes);
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }
}
