package io.lifeboat.backup.app;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The daily (and after-deployment) backup of one application release: current/ as tar.gz. */
@WorkflowInterface
public interface ApplicationBackupWorkflow {

  @WorkflowMethod
  ArtifactBackupResult backup(ApplicationBackupRequest request);

  @QueryMethod
  ArtifactBackupStatus status();
}
