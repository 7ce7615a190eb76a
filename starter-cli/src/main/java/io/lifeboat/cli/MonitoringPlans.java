package io.lifeboat.cli;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.check.RepositoryCheckWorkflow;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.verify.BackupVerificationWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** The options verification, checks and offsite syncs start with, by hand and by schedule. */
public final class MonitoringPlans {
  /** Schedule and workflow ids carry the estate, so two estates on one Temporal never collide. */
  public static String verifyId(LifeboatConfig c) {
    return BackupVerificationWorkflow.workflowId(c.estate());
  }

  public static String checkId(LifeboatConfig c) {
    return RepositoryCheckWorkflow.workflowId(c.estate());
  }

  private MonitoringPlans() {}

  public static WorkflowOptions.Builder options(LifeboatConfig c, String workflowId, String kind) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(KIND, kind).build());
  }
}
