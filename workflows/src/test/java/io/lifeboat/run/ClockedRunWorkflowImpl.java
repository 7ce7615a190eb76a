package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.lifeboat.failure.FailureMessage;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class ClockedRunWorkflowImpl implements ClockedRunWorkflow {
  @Override
  public Seen run(Plan plan) {
    StepRecorder steps = new StepRecorder();
    RtoClock rto = RtoClock.start(plan.rtoMinutes());
    ReportWriter report = new ReportWriter("test-run", "orders", "prod", plan.repository());
    RunOutcome.running("test", "orders", rto);
    int[] atRisk = {0};
    if (WATCH.equals(plan.watch())) {
      rto.watch("test run of orders", steps::current, () -> atRisk[0]++);
      steps.onEachStep(step -> rto.breachIfOver());
    } else {
      rto.watchForBreach();
      steps.onEachStep(step -> {
        if ("ok".equals(step.outcome())) rto.update();
      });
    }
    List<String> seen = new ArrayList<>();
    String key;
    try {
      for (int i = 0; i < plan.stepMinutes().size(); i++) {
        int minutes = plan.stepMinutes().get(i);
        boolean fail = plan.failLast() && i == plan.stepMinutes().size() - 1;
        steps.run("step-" + i, () -> {
          Workflow.sleep(Duration.ofMinutes(minutes));
          if (fail) throw ApplicationFailure.newNonRetryableFailure("step failed", "TEST");
        });
        seen.add(Workflow.getTypedSearchAttributes().get(RTO_STATUS));
      }
      steps.finish("done");
      if (WATCH.equals(plan.watch())) {
        RunOutcome.succeeded(rto);
      } else { // as the rollback: the last step's update was the RTO's final word
        rto.stop();
        RunOutcome.ended(LifeboatSearchAttributes.OUTCOME_SUCCEEDED);
      }
      report.fact("steps", String.valueOf(steps.steps().size()));
      key = report.store(report.report(RunReport.SUCCEEDED, rto, steps.steps()));
    } catch (ApplicationFailure e) {
      seen.add(Workflow.getTypedSearchAttributes().get(RTO_STATUS));
      steps.finish("failed");
      rto.stop();
      report.note("failed in step " + steps.last() + ": " + FailureMessage.of(e));
      if (WATCH.equals(plan.watch())) {
        RunOutcome.failed(rto);
      } else {
        rto.mark(LifeboatSearchAttributes.RTO_BREACHED);
        RunOutcome.ended(LifeboatSearchAttributes.OUTCOME_FAILED);
      }
      key = report.store(report.report(RunReport.FAILED, rto, steps.steps()));
    }
    return new Seen(seen, Workflow.getTypedSearchAttributes().get(RTO_STATUS),
        Workflow.getTypedSearchAttributes().get(OUTCOME), rto.elapsedMillis(), atRisk[0], key);
  }
}
