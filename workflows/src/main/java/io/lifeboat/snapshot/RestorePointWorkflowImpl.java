package io.lifeboat.snapshot;

import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.notify.Notification;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.Projection;
import io.lifeboat.run.RunNotice;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The databases first (each point archived before the next step), then the application and
 * configuration backups as child workflows (ids name the point), then the manifest: a point
 * without its manifest does not exist for {@code recover --to-point}.
 */
public class RestorePointWorkflowImpl implements RestorePointWorkflow {
  /** Issue 22: a point says when it is complete, or why it is not. */
  static final String NOTIFY = "restore-point-notifications";
  public static final String EVENT_FINISHED = "restore-point-finished";

  @Override
  public RestorePointManifest snapshot(RestorePointRequest r) {
    RestorePointActivities quick = ActivityStubs.of(RestorePointActivities.class, r.retry(),
        Duration.ofMinutes(2), null);
    RestorePointActivities waiting = ActivityStubs.of(RestorePointActivities.class, r.retry(),
        Duration.ofMinutes(10), Duration.ofSeconds(60));
    long createdAt = Workflow.currentTimeMillis();
    // A scheduled point (no name) is named by the time it fired: workflow time, so a replay
    // names it the same.
    String name = r.name() != null ? r.name() : RestorePointWorkflow.scheduledName(createdAt);
    try {
      RestorePointManifest m = take(r, quick, waiting, createdAt, name);
      RunNotice.send(NOTIFY, r.notifications(), EVENT_FINISHED, "restore point " + name + " of "
          + r.estate() + " finished", "restore point " + name + " is complete: "
          + m.databases().size() + " database(s), " + m.applicationBackups().size()
          + " application backup(s)" + (m.configurationBackup() == null ? "" : ", configuration "
          + m.configurationBackup()), details(r, name, createdAt));
      return m;
    } catch (ActivityFailure | ChildWorkflowFailure e) {
      if (!FailedBackup.cancelled(e)) {
        Workflow.newDetachedCancellationScope(() -> {
          Map<String, String> d = details(r, name, createdAt);
          d.putAll(RunNotice.failure(e));
          RunNotice.send(NOTIFY, r.notifications(), Notification.EVENT_FAILURE,
              "restore point " + name + " of " + r.estate() + " failed", "restore point " + name
                  + " was not taken (no manifest): " + d.get("Cause"), d);
        }).run();
      }
      throw e;
    }
  }

  private static Map<String, String> details(RestorePointRequest r, String name, long startedAt) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("Kind", "restore-point");
    d.put("Source", r.estate());
    d.put("Point", name);
    d.put("Duration", Projection.duration(Workflow.currentTimeMillis() - startedAt));
    return d;
  }

  private RestorePointManifest take(RestorePointRequest r, RestorePointActivities quick,
      RestorePointActivities waiting, long createdAt, String name) {
    quick.requireNewRestorePoint(r.repository(), name);
    String id = Workflow.getInfo().getWorkflowId();

    List<DatabasePoint> points = new ArrayList<>();
    for (DatabaseConfig db : r.databases()) {
      points.add(waiting.createRestorePoint(r.repository(), r.wal(), db, name));
    }
    Map<String, String> apps = new LinkedHashMap<>();
    for (Map.Entry<String, ApplicationBackupRequest> a : r.applications().entrySet()) {
      ApplicationBackupWorkflow child = Workflow.newChildWorkflowStub(
          ApplicationBackupWorkflow.class, ChildWorkflowOptions.newBuilder()
              .setWorkflowId(ApplicationBackupWorkflow.workflowId(r.estate(), a.getKey())
                  + "-point-" + name)
              .build());
      ArtifactBackupResult done = child.backup(a.getValue());
      apps.put(a.getKey(), done.manifest().backupId());
    }
    String config = null;
    if (r.configuration() != null) {
      ConfigurationBackupWorkflow child = Workflow.newChildWorkflowStub(
          ConfigurationBackupWorkflow.class, ChildWorkflowOptions.newBuilder()
              .setWorkflowId(ConfigurationBackupWorkflow.workflowId(r.estate()) + "-point-"
                  + name)
              .build());
      config = child.backup(r.configuration()).manifest().backupId();
    }
    RestorePointManifest m = new RestorePointManifest(RestorePointManifest.FORMAT, name,
        r.estate(), createdAt, id, points, apps, config);
    quick.writeRestorePointManifest(r.repository(), m);
    return m;
  }
}
