package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The seed's Scenario 3: broken application code, back to the previous release in 15 min. */
@WorkflowInterface
public interface ApplicationRollbackWorkflow {
  String ID_KIND = "rollback-app";

  /** {@code rollback-app-ESTATE-NAME}: one rollback of an application at a time. */
  static String workflowId(String estate, String application) {
    return WorkflowIds.of(ID_KIND, estate, application);
  }

  /** With the estate as written, where that differs. */
  static List<String> legacyIds(String estate, String application) {
    return WorkflowIds.olderThan(workflowId(estate, application),
        ID_KIND + "-" + estate + "-" + application);
  }

  static ApplicationRollbackRequest request(LifeboatConfig c, ApplicationConfig a, String to) {
    return new ApplicationRollbackRequest(c.estate(), a, c.repository(), to,
        c.targets().applicationRtoMinutes(), c.retries(),
        io.lifeboat.notify.NotificationTarget.of(c), null,
        c.offsite()); // a rollback reads from the primary: its report is copied offsite
  }


  @WorkflowMethod
  RollbackResult rollback(ApplicationRollbackRequest request);

  @QueryMethod
  RollbackProgress progress();
}
