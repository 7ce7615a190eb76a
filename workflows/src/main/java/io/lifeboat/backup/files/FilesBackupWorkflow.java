package io.lifeboat.backup.files;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A file tree backed up with restic into the object store, checked, then pruned (issue 20). */
@WorkflowInterface
public interface FilesBackupWorkflow {
  /** The request a run by hand ({@code trigger} manual) and the schedule both start. */
  static FilesBackupRequest request(io.lifeboat.config.LifeboatConfig c,
      io.lifeboat.config.FilesConfig f, String trigger) {
    return new FilesBackupRequest(f, c.repository(), c.retries(), trigger,
        io.lifeboat.notify.NotificationTarget.of(c), c.repositoryAddress(f));
  }

  @WorkflowMethod
  FilesBackupResult backup(FilesBackupRequest request);

  @QueryMethod
  FilesBackupStatus status();
}
