package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;

/** @param reason why it runs: schedule, manual (recorded in the manifest and the snapshot's tags) */
public record FilesBackupRequest(FilesConfig files, RepositoryConfig repository, RetryConfig retry,
    String reason) {
  public FilesBackupRequest {
    retry = retry != null ? retry : RetryConfig.DEFAULT;
    reason = reason != null ? reason : "manual";
  }
}
