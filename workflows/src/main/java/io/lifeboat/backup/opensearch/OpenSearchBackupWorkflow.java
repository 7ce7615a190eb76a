package io.lifeboat.backup.opensearch;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One OpenSearch backup: assess, snapshot, ship the files, restore them for proof, commit. */
@WorkflowInterface
public interface OpenSearchBackupWorkflow {

  @WorkflowMethod
  OpenSearchBackupResult backup(OpenSearchBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
