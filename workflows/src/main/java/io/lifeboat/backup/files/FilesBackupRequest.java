package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/**
 * @param reason why it runs: schedule, manual (recorded in the manifest and the snapshot's tags)
 * @param repositoryAddress the address of {@code files.repositoryHost()} from {@code hosts:},
 *     resolved when the run is started (null: the repository is on the source's host)
 */
public record FilesBackupRequest(FilesConfig files, RepositoryConfig repository, RetryConfig retry,
    String reason,
    io.lifeboat.notify.NotificationTarget notifications,
    String repositoryAddress) {
  public FilesBackupRequest {
    notifications = notifications != null ? notifications
        : io.lifeboat.notify.NotificationTarget.NONE;
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }

  /** Without a repository host's address: the shape before repositories over ssh. */
  public FilesBackupRequest(FilesConfig files, RepositoryConfig repository, RetryConfig retry,
      String reason, io.lifeboat.notify.NotificationTarget notifications) {
    this(files, repository, retry, reason, notifications, null);
  }

  /** Without notifications: the shape before issue 22 (and its recorded histories). */
  public FilesBackupRequest(FilesConfig files, RepositoryConfig repository, RetryConfig retry,
    String reason) {
    this(files, repository, retry, reason, null);
  }
}
