package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.slf4j.Logger;

/**
 * The last step of a backup workflow: start the offsite copy of what it just committed, as an
 * abandoned child, and return at once. The backup's result does not wait for a slow offsite
 * link, and an offsite failure cannot fail the backup: the child reports it itself.
 */
public final class OffsiteAfterBackup {
  private static final Logger log = Workflow.getLogger(OffsiteAfterBackup.class);

  /** Patch id: histories recorded before the offsite copy existed have no marker and skip it. */
  public static final String CHANGE_ID = "offsite-copy";

  private OffsiteAfterBackup() {}

  /**
   * @return the child's workflow id, or null when there is no offsite or it could not start
   */
  public static String start(OffsiteConfig offsite, RepositoryConfig primary, String kind,
      String source, String backupId, List<String> scopes, RetryConfig retry,
      NotificationTarget notifications) {
    // Called only when the request names an offsite: older requests (and histories) have none,
    // so they never reach the version marker.
    if (offsite == null) return null;
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) return null;
    String workflowId = "offsite-" + kind + "-" + source + "-" + backupId;
    OffsiteCopyWorkflow child = Workflow.newChildWorkflowStub(OffsiteCopyWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build());
    Async.function(child::copy, new OffsiteCopyRequest(primary, offsite, kind, source, scopes,
        true, retry, notifications));
    try {
      // Wait only for the start: an abandoned child must exist before its parent closes.
      Workflow.getWorkflowExecution(child).get();
      return workflowId;
    } catch (TemporalFailure e) {
      // Most likely a copy with this id is still running; the next backup's copy catches up.
      log.warn("offsite copy {} not started: {}", workflowId, e.getMessage());
      return null;
    }
  }
}
