package io.lifeboat.backup.mariadb;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * Everything a MariaDB backup needs, resolved from the config; secrets stay names. A request
 * recorded before physical backups existed has physical null: logical.
 */
public record MariaDbBackupRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone,
    io.lifeboat.notify.NotificationTarget notifications, Boolean physical) {
  public MariaDbBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public MariaDbBackupRequest(MariaDbConfig mariadb, RepositoryConfig repository,
    CompressionConfig compression, int retentionDays, RetryConfig retry,
    io.lifeboat.config.RetentionConfig.Keep retentionKeep, String retentionZone) {
    this(mariadb, repository, compression, retentionDays, retry, retentionKeep, retentionZone, null,
        null);
  }

  /** mariadb-backup instead of mariadb-dump (the flag, or mariadb[].method: physical). */
  public boolean isPhysical() {
    return Boolean.TRUE.equals(physical);
  }
}
