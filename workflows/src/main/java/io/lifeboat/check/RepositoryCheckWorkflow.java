package io.lifeboat.check;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The scheduled form of {@code lifeboat check}: judges the repository, exposes the findings as
 * metrics and notifies when the set of problems changes (not every hour while it persists).
 */
@WorkflowInterface
public interface RepositoryCheckWorkflow {
  @WorkflowMethod
  CheckReport check(RepositoryCheckRequest request);
}
