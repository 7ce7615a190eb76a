package io.lifeboat.backup.files;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A file tree backed up with restic into the object store, checked, then pruned (issue 20). */
@WorkflowInterface
public interface FilesBackupWorkflow {
  @WorkflowMethod
  FilesBackupResult backup(FilesBackupRequest request);

  @QueryMethod
  FilesBackupStatus status();
}
