package io.lifeboat.backup.dump;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The nightly full backup of one database: dump, store, verify, commit, expire. */
@WorkflowInterface
public interface DatabaseBackupWorkflow {

  @WorkflowMethod
  BackupResult backup(DatabaseBackupRequest request);

  /** Where the backup is now; the CLI's progress line reads it. */
  @QueryMethod
  BackupStatus status();
}
