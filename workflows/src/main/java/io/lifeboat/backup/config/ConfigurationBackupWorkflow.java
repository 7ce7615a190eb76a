package io.lifeboat.backup.config;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.offsite.OffsiteTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The weekly configuration backup: nginx, PM2 ecosystem, system files, Jenkins casc. */
@WorkflowInterface
public interface ConfigurationBackupWorkflow {
  String ID_KIND = "backup-config";

  /** {@code backup-config-ESTATE}: the weekly schedule's id and the base of its runs' ids. */
  static String workflowId(String estate) {
    return WorkflowIds.of(ID_KIND, estate);
  }

  /** With the estate as written, where that differs. */
  static List<String> legacyIds(String estate) {
    return WorkflowIds.olderThan(workflowId(estate), ID_KIND + "-" + estate);
  }

  static ConfigurationBackupRequest request(LifeboatConfig c) {
    return new ConfigurationBackupRequest(c.estate(), c.configuration(), c.repository(),
        c.retries(), OffsiteTarget.of(c.offsite(), NotificationTarget.of(c)), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        NotificationTarget.of(c));
  }


  @WorkflowMethod
  ArtifactBackupResult backup(ConfigurationBackupRequest request);

  @QueryMethod
  ArtifactBackupStatus status();
}
