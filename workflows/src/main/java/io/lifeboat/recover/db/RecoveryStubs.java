package io.lifeboat.recover.db;

import static io.lifeboat.recover.db.DatabaseRecoveryWorkflowImpl.HEARTBEAT_TIMEOUT;
import static io.lifeboat.recover.db.DatabaseRecoveryWorkflowImpl.QUICK_HEARTBEAT_TIMEOUT;

import io.lifeboat.host.HostPlacement;
import io.lifeboat.run.StepRecorder;
import java.time.Duration;

/**
 * The stubs a database recovery runs its steps through (issue 17, ActivityPlacement): the data
 * directory steps go to the database's host ({@code onHost}), the application's PM2 stop and
 * start to the application's host ({@code recovery.application.host}, else {@code onHost}),
 * the rest to the workflow's queue. Without hosts, all three are plain stubs on that queue.
 *
 * @param quick plan, assess, prepare, verify, swap, health, compensation (10 minutes)
 * @param streaming download, replay, dump restore (12 hours, heartbeating)
 * @param application stop and start of the application
 */
record RecoveryStubs(DatabaseRecoveryActivities quick, DatabaseRecoveryActivities streaming,
    DatabaseRecoveryActivities application) {

  static RecoveryStubs of(RecoveryRequest req, StepRecorder steps) {
    HostPlacement db = new HostPlacement(req.database().onHost(), req.retry(), steps)
        .notifying(req.notifications());
    HostPlacement app = new HostPlacement(req.database().applicationHost(), req.retry(), steps)
        .notifying(req.notifications());
    return new RecoveryStubs(
        db.stub(DatabaseRecoveryActivities.class, Duration.ofMinutes(10), QUICK_HEARTBEAT_TIMEOUT),
        db.stub(DatabaseRecoveryActivities.class, Duration.ofHours(12), HEARTBEAT_TIMEOUT),
        app.stub(DatabaseRecoveryActivities.class, Duration.ofMinutes(10),
            QUICK_HEARTBEAT_TIMEOUT));
  }
}
