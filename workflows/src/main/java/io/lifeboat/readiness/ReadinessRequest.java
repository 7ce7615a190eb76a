package io.lifeboat.readiness;

import io.lifeboat.config.ReadinessConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.notify.NotificationTarget;
import java.util.List;

/**
 * The readiness workflow's input, resolved from the config when the schedule was applied (or
 * when {@code lifeboat readiness} ran).
 *
 * @param mainQueue temporal.taskQueue: the hosts' agent queues are named after it
 * @param offsite the offsite as a repository to recover from; null when there is none
 */
public record ReadinessRequest(String estate, String mainQueue, List<DatabasePath> databases,
    List<ServerTargetConfig> targets, RepositoryConfig primary, RepositoryConfig offsite,
    WalConfig wal, int rpoMinutes, ReadinessConfig readiness, RetryConfig retry,
    NotificationTarget notifications) {

  /** A database to recover; {@code host} is the hosts[].name its data directory is on, or null. */
  public record DatabasePath(String name, String host) {}

  public ReadinessRequest {
    databases = databases == null ? List.of() : List.copyOf(databases);
    targets = targets == null ? List.of() : List.copyOf(targets);
    wal = wal != null ? wal : WalConfig.DEFAULT;
    readiness = readiness != null ? readiness : ReadinessConfig.DEFAULT;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }
}
