package io.lifeboat.wal;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_WAL_CHECK;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.wal.WalMetrics;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

public class WalCheckWorkflowImpl implements WalCheckWorkflow {
  private static final Logger log = Workflow.getLogger(WalCheckWorkflowImpl.class);

  @Override
  public WalCheckResult check(WalCheckRequest request) {
    String db = request.database().name();
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(db), KIND.valueSet(KIND_WAL_CHECK),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    // The switch gets two quick attempts: a server that is down must not stop the archive
    // check, which then measures the RPO from the archive alone.
    WalCheckActivities switcher = Workflow.newActivityStub(WalCheckActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2)
                .setInitialInterval(Duration.ofSeconds(request.retry().initialIntervalSeconds()))
                .setDoNotRetry(FailureKind.nonRetryableTypes()).build())
            .build());
    WalCheckActivities checker = Workflow.newActivityStub(WalCheckActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(30))
            .setHeartbeatTimeout(Duration.ofSeconds(60))
            .setRetryOptions(RetryOptions.newBuilder()
                .setMaximumAttempts(request.retry().maxAttempts())
                .setInitialInterval(Duration.ofSeconds(request.retry().initialIntervalSeconds()))
                .setMaximumInterval(Duration.ofSeconds(request.retry().maxIntervalSeconds()))
                .setDoNotRetry(FailureKind.nonRetryableTypes()).build())
            .build());
    WalSwitch switched = null;
    try {
      switched = switcher.forceSwitch(request.database());
    } catch (ActivityFailure e) {
      log.warn("could not force a WAL switch on {}: {}", db, e.getCause() == null
          ? e.getMessage() : e.getCause().getMessage());
    }
    WalCheckResult r;
    try {
      r = checker.checkArchive(request, switched);
    } catch (ActivityFailure e) {
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      throw e;
    }
    WalMetrics.checked(Workflow.getMetricsScope(), db, r.rpoAchievedSeconds(),
        r.rpoTargetSeconds(), r.continuous());
    boolean good = r.continuous() && r.rpoMet();
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(good
        ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED : LifeboatSearchAttributes.OUTCOME_FAILED));
    return r;
  }
}
