package io.lifeboat.readiness;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryChoice;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.WorkflowIds;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Recovery readiness (issue 18): checks every recovery path the config describes, as a
 * schedule ({@code readiness-ESTATE}, every readiness.everyMinutes) and on demand
 * ({@code lifeboat readiness}). Findings go to metrics, {@code reports/readiness/latest.json}
 * (what {@code lifeboat status} shows) and, when a path changes between ok and problem, to the
 * notification channels.
 */
@WorkflowInterface
public interface ReadinessWorkflow {
  String ID_KIND = "readiness";
  /** The LifeboatKind search attribute of its runs. */
  String SEARCH_KIND = "readiness";

  /** {@code readiness-ESTATE}: the schedule's id and the base of its runs' ids. */
  static String workflowId(String estate) {
    return WorkflowIds.of(ID_KIND, estate);
  }

  /** The paths the config describes: every database, every target that is not production. */
  static ReadinessRequest request(LifeboatConfig c) {
    return new ReadinessRequest(c.estate(), c.temporal().taskQueue(),
        c.databases().stream().map(ReadinessWorkflow::path).toList(),
        c.servers().stream().filter(s -> !Boolean.TRUE.equals(s.production())).toList(),
        c.repository(),
        c.offsite() == null ? null : RepositoryChoice.resolve(c, RepositoryChoice.OFFSITE),
        c.wal(), c.targets().rpoMinutes(), c.readiness(), c.retries(), NotificationTarget.of(c));
  }

  private static ReadinessRequest.DatabasePath path(DatabaseConfig d) {
    return new ReadinessRequest.DatabasePath(d.name(), d.onHost());
  }

  @WorkflowMethod
  ReadinessReport check(ReadinessRequest request);
}
