package io.lifeboat.check;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

public class RepositoryCheckWorkflowImpl implements RepositoryCheckWorkflow {

  @Override
  public CheckReport check(RepositoryCheckRequest request) {
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(LifeboatSearchAttributes.KIND_CHECK),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    RepositoryCheckActivities activities = Workflow.newActivityStub(
        RepositoryCheckActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10))
            .setRetryOptions(RetryOptions.newBuilder()
                .setMaximumAttempts(request.retry().maxAttempts())
                .setInitialInterval(Duration.ofSeconds(request.retry().initialIntervalSeconds()))
                .setMaximumInterval(Duration.ofSeconds(request.retry().maxIntervalSeconds()))
                .setDoNotRetry(FailureKind.nonRetryableTypes())
                .build())
            .build());
    CheckReport report = activities.check(new CheckRequest(request.sources(),
        request.repository(), request.checks(), request.timezone(), Workflow.currentTimeMillis(),
        true, request.reportsAuditDays()));
    for (SourceCheck c : report.sources()) {
      CheckMetrics.record(Workflow.getMetricsScope(), c);
    }
    // Gauges only (no command): replays of runs before the KPIs existed see null and skip it.
    io.lifeboat.drill.DrillMetrics.record(Workflow.getMetricsScope(), report.drillKpis());
    if (report.changedSinceLast()) {
      Notifier.send(request.notifications(), notification(request, report));
    }
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(report.passed()
        ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED : LifeboatSearchAttributes.OUTCOME_FAILED));
    return report;
  }

  private static Notification notification(RepositoryCheckRequest request, CheckReport report) {
    String link = request.notifications().link(Workflow.getInfo().getWorkflowId());
    if (report.passed()) {
      return new Notification(Notification.EVENT_CHECK_FAILED, "backup checks pass again",
          "every source is fresh and retention-compliant again", Map.of(), link);
    }
    Map<String, String> details = new LinkedHashMap<>();
    int i = 1;
    for (String p : report.problems()) details.put(String.valueOf(i++), p);
    return new Notification(Notification.EVENT_CHECK_FAILED,
        "backup check failed: " + report.problems().size() + " problem(s)",
        report.problems().get(0), details, link);
  }
}
