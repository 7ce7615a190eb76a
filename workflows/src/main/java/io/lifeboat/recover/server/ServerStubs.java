package io.lifeboat.recover.server;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.run.ActivityStubs;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * What a server recovery runs its steps through: its own activities (short and long), the
 * rollback's release activities, and the database recovery as a child workflow.
 */
record ServerStubs(ServerRecoveryActivities quick, ServerRecoveryActivities slow,
    RollbackActivities release) {
  /**
   * npm ci, certbot and a slow playbook run for minutes, heartbeating every second while their
   * tool runs (ToolRunner, Commands); a dead worker shows within this. 10 s, as the rollback
   * gives the same release activities: each kill in the fault suite costs one timeout.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The short steps (newest release, pm2 save, nginx, DNS update, HTTPS check) heartbeat while
   * they run (Keepalive), so a killed worker is noticed in seconds, not after the 10 minute
   * start-to-close: the fault suite kills the worker at each of them.
   */
  static final Duration QUICK_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  static ServerStubs of(RetryConfig retry) {
    return new ServerStubs(
        ActivityStubs.of(ServerRecoveryActivities.class, retry, Duration.ofMinutes(10),
            QUICK_HEARTBEAT_TIMEOUT),
        ActivityStubs.of(ServerRecoveryActivities.class, retry, Duration.ofMinutes(30),
            HEARTBEAT_TIMEOUT),
        // The rollback's activities heartbeat through pm2 and npm: same options as there.
        ActivityStubs.of(RollbackActivities.class, retry, Duration.ofMinutes(30),
            HEARTBEAT_TIMEOUT));
  }

  /** The database recovery of {@code database} on {@code target}, as a child workflow. */
  static DatabaseRecoveryWorkflow database(String target, String database) {
    return Workflow.newChildWorkflowStub(DatabaseRecoveryWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(ServerRecoveryWorkflow.databaseWorkflowId(target, database))
            // A cancelled server recovery must not leave a database restore running alone.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build());
  }
}
