package io.lifeboat.drill;

import io.lifeboat.approval.Approvable;
import io.lifeboat.config.DrillsConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * A DR drill (`lifeboat drill start monthly|quarterly`): restores into isolated targets, the
 * drill lead approves the start and signs off each scenario, cleans up even when it fails, and
 * stores a report judged on the seed's criteria.
 */
@WorkflowInterface
public interface DrillWorkflow extends Approvable {
  /** {@code drill-KIND-ESTATE}: the base of a drill's id (a start appends its time). */
  static String workflowIdBase(String estate, String kind) {
    return WorkflowIds.of("drill-" + kind, estate);
  }

  /** {@code schedule-drill-KIND-ESTATE}. */
  static String scheduleId(String estate, String kind) {
    return WorkflowIds.of("schedule-drill-" + kind, estate);
  }

  /** With the estate as written, where that differs. */
  static List<String> legacyScheduleIds(String estate, String kind) {
    return WorkflowIds.olderThan(scheduleId(estate, kind), "schedule-drill-" + kind + "-" + estate);
  }

  static DrillRequest request(LifeboatConfig c, String kind, String scenario, DrillsConfig drills) {
    return new DrillRequest(c.estate(), kind, scenario, c.databases(), c.applications(),
        c.repository(), c.retries(), c.targets(), drills, NotificationTarget.of(c), c.servers(),
        c.approvals(), c.offsite(), c.mariadb(), c.redis(), c.opensearch(), c.files());
  }

  String START = "approve-start";
  String SIGN_OFF = "sign-off-";

  @WorkflowMethod
  DrillResult drill(DrillRequest request);

  @QueryMethod
  DrillProgress progress();
}
