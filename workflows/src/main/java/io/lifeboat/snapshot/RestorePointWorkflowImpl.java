package io.lifeboat.snapshot;

import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.run.ActivityStubs;
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
