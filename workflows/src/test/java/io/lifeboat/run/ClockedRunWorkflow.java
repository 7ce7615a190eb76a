package io.lifeboat.run;

import io.lifeboat.config.RepositoryConfig;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** A test workflow: steps of given lengths timed by an {@link RtoClock}, then a report. */
@WorkflowInterface
public interface ClockedRunWorkflow {
  String WATCH = "watch";
  String WATCH_FOR_BREACH = "watch-for-breach";

  /**
   * @param watch {@link #WATCH} (the recoveries') or {@link #WATCH_FOR_BREACH} (the rollback's)
   * @param stepMinutes how long each step takes
   * @param failLast the last step fails
   */
  record Plan(String watch, int rtoMinutes, List<Integer> stepMinutes, boolean failLast,
      RepositoryConfig repository) {}

  /**
   * @param afterEachStep LifeboatRtoStatus as the workflow sees it after each step
   * @param end LifeboatRtoStatus and LifeboatOutcome at the end
   * @param atRiskCalls how often the watch's at-risk callback ran
   */
  record Seen(List<String> afterEachStep, String end, String outcome, long elapsedMillis,
      int atRiskCalls, String reportKey) {}

  @WorkflowMethod
  Seen run(Plan plan);
}
