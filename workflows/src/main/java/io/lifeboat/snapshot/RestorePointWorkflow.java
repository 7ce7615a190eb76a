package io.lifeboat.snapshot;

import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code lifeboat snapshot NAME}: one restore point across the estate. */
@WorkflowInterface
public interface RestorePointWorkflow {
  String ID_KIND = "snapshot";

  /** {@code snapshot-ESTATE-NAME}: one run per point name. */
  static String workflowId(String estate, String name) {
    return WorkflowIds.of(ID_KIND, estate, name);
  }

  /** A point name: letters, digits, '.', '_', '-'; at most 63 characters (it is a file name). */
  static boolean validName(String name) {
    return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }

  /** The name of a point the schedule takes: {@code auto-YYYYMMDDTHHMMZ} (UTC). */
  static String scheduledName(long millis) {
    return "auto-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(millis));
  }

  /** @param name null: a scheduled point, named when it fires ({@link #scheduledName}) */
  static RestorePointRequest request(LifeboatConfig c, String name) {
    Map<String, io.lifeboat.backup.app.ApplicationBackupRequest> apps = new LinkedHashMap<>();
    for (ApplicationConfig a : c.applications()) {
      apps.put(a.name(), ApplicationBackupWorkflow.request(c, a,
          name != null ? "restore point " + name : "scheduled restore point"));
    }
    return new RestorePointRequest(c.estate(), name, c.repository(), c.wal(), c.databases(),
        apps, c.configuration().isEmpty() ? null : ConfigurationBackupWorkflow.request(c),
        c.retries(), io.lifeboat.notify.NotificationTarget.of(c));
  }

  @WorkflowMethod
  RestorePointManifest snapshot(RestorePointRequest request);
}
