package io.lifeboat.snapshot;

import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.backup.config.ConfigurationBackupRequest;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code lifeboat snapshot NAME}: the databases to mark, the application backups (by
 * application name) and the configuration backup (null: none configured) to take with it.
 */
public record RestorePointRequest(String estate, String name, RepositoryConfig repository,
    WalConfig wal, List<DatabaseConfig> databases,
    Map<String, ApplicationBackupRequest> applications,
    ConfigurationBackupRequest configuration, RetryConfig retry,
    io.lifeboat.notify.NotificationTarget notifications) {

  public RestorePointRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    databases = databases == null ? List.of() : List.copyOf(databases);
    applications = applications == null ? Map.of() : new java.util.TreeMap<>(applications);
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public RestorePointRequest(String estate, String name, RepositoryConfig repository,
      WalConfig wal, List<DatabaseConfig> databases,
      Map<String, ApplicationBackupRequest> applications,
      ConfigurationBackupRequest configuration, RetryConfig retry) {
    this(estate, name, repository, wal, databases, applications, configuration, retry, null);
  }
}
