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
  /**
   * Issue 20: one copy per copy repository ({@code repositories:}). Asked only when the
   * request's offsite carries siblings, which no request recorded before it has.
   */
  public static final String FANOUT_CHANGE_ID = "offsite-fanout";

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
    // The first repository keeps the id it always had; each further one is its own workflow
    // (its own activities and retries: one unreachable repository fails alone).
    String first = startOne("offsite-" + kind + "-" + source + "-" + backupId, offsite.alone(),
        primary, kind, source, scopes, retry, notifications);
    if (!offsite.siblings().isEmpty()
        && Workflow.getVersion(FANOUT_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1) {
      for (OffsiteConfig other : offsite.siblings()) {
        startOne(workflowId(other.repositoryName(), kind, source, backupId), other, primary, kind, source,
            scopes, retry, notifications);
      }
    }
    return first;
  }

  /** The copy of a backup to the repository named so (the first keeps "offsite-KIND-..."). */
  public static String workflowId(String repository, String kind, String source,
      String backupId) {
    return "offsite-" + repository + "-" + kind + "-" + source + "-" + backupId;
  }

  private static String startOne(String workflowId, OffsiteConfig offsite,
      RepositoryConfig primary, String kind, String source, List<String> scopes,
      RetryConfig retry, NotificationTarget notifications) {
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
