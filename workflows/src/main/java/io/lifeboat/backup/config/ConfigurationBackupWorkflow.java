package io.lifeboat.backup.config;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The weekly configuration backup: nginx, PM2 ecosystem, system files, Jenkins casc. */
@WorkflowInterface
public interface ConfigurationBackupWorkflow {

  @WorkflowMethod
  ArtifactBackupResult backup(ConfigurationBackupRequest request);

  @QueryMethod
  ArtifactBackupStatus status();
}
