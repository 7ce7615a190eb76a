package io.lifeboat.wal;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Every 6 hours and on demand: force a switch, check continuity, record the achieved RPO. */
@WorkflowInterface
public interface WalCheckWorkflow {
  String ID_KIND = "wal-check";

  /** {@code wal-check-ESTATE-NAME}: the 6-hourly schedule's id and the base of its runs' ids. */
  static String workflowId(String estate, String database) {
    return WorkflowIds.of(ID_KIND, estate, database);
  }

  /** {@code wal-check-NAME}: before the estate was in it. */
  static List<String> legacyIds(String estate, String database) {
    return WorkflowIds.olderThan(workflowId(estate, database), ID_KIND + "-" + database);
  }

  static WalCheckRequest request(LifeboatConfig c, DatabaseConfig db) {
    return new WalCheckRequest(db, c.repository(), c.wal(), c.targets().rpoMinutes(), c.retries());
  }

  @WorkflowMethod
  WalCheckResult check(WalCheckRequest request);
}
