package io.lifeboat.backup.app;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.offsite.OffsiteTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The daily (and after-deployment) backup of one application release: current/ as tar.gz. */
@WorkflowInterface
public interface ApplicationBackupWorkflow {
  String ID_KIND = "backup-app";

  /** {@code backup-app-ESTATE-NAME}: the daily schedule's id and the base of its runs' ids. */
  static String workflowId(String estate, String application) {
    return WorkflowIds.of(ID_KIND, estate, application);
  }

  /**
   * {@code backup-app-NAME} (before the estate was in it) and {@code backup-app-ESTATE-NAME}
   * with the estate as written (before it was reduced to id characters), where they differ.
   */
  static List<String> legacyIds(String estate, String application) {
    return WorkflowIds.olderThan(workflowId(estate, application), ID_KIND + "-" + application,
        ID_KIND + "-" + estate + "-" + application);
  }

  static ApplicationBackupRequest request(LifeboatConfig c, ApplicationConfig a, String reason) {
    return new ApplicationBackupRequest(a, c.repository(), c.retries(), reason,
        OffsiteTarget.of(c.offsite(), NotificationTarget.of(c)), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        NotificationTarget.of(c));
  }


  @WorkflowMethod
  ArtifactBackupResult backup(ApplicationBackupRequest request);

  @QueryMethod
  ArtifactBackupStatus status();
}
