package io.lifeboat.approval;

import io.lifeboat.run.TestEnvironments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepTiming;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approvals as Updates: rejected unless waiting, reminders on the interval, waits recorded. */
class HumanGateTest {
  static final String ID = "gated-run";
  private TestWorkflowEnvironment env;
  private final List<Notification> sent = new CopyOnWriteArrayList<>();
  private final NotificationActivities notifier = (Delivery d) -> sent.add(d.notification());

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(TwoStepWorkflowImpl.class);
    worker.registerActivitiesImplementations(notifier);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private TwoStepWorkflow start(String approver) {
    TwoStepWorkflow wf = env.getWorkflowClient().newWorkflowStub(TwoStepWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build());
    WorkflowClient.start(wf::run, approver);
    return wf;
  }

  /** Skips workflow time until the step waits (queries do not advance time). */
  private void untilWaiting(TwoStepWorkflow wf, String step) {
    for (int i = 0; i < 200; i++) {
      if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals(step))) return;
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError(step + " never waited; waiting: " + wf.waitingSteps());
  }

  private String waitingAttribute() {
    return env.getWorkflowClient().newUntypedWorkflowStub(ID).describe()
        .getTypedSearchAttributes().get(LifeboatSearchAttributes.WAITING_STEP);
  }

  private static String rejection(Runnable call) {
    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, call::run);
    Throwable c = e;
    while (c.getCause() != null) c = c.getCause();
    return c instanceof io.temporal.failure.ApplicationFailure af ? af.getOriginalMessage()
        : c.getMessage();
  }

  @Test
  void rejectsAStepThatIsNotWaitingAndChangesNothing() {
    TwoStepWorkflow wf = start(null);
    untilWaiting(wf, "approve-start");
    String msg = rejection(() -> wf.approve(new ApprovalRequest("sign-off", "ana", null, "h")));
    assertEquals("step sign-off is not waiting for approval (waiting: approve-start); nothing"
        + " changed", msg);
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("approve-start", " ", null, null)))
        .contains("--by"));
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("nope", "ana", null, null)))
        .contains("not waiting"));
    assertEquals(List.of(), wf.approvals());
    assertEquals("approve-start", waitingAttribute());
    // A rejected update leaves no trace in history.
    var history = env.getWorkflowClient().fetchHistory(ID);
    assertTrue(history.getEvents().stream().noneMatch(e -> e.hasWorkflowExecutionUpdateAcceptedEventAttributes()));
    WorkflowStub.fromTyped(wf).terminate("test over");
  }

  @Test
  void acceptsInOrderRecordsWaitsAndReplays() throws Exception {
    TwoStepWorkflow wf = start(null);
    untilWaiting(wf, "approve-start");
    env.sleep(Duration.ofMinutes(5));
    Approval a = wf.approve(new ApprovalRequest("approve-start", "ana", "target is scratch", null));
    assertEquals("ana", a.by());
    assertEquals("target is scratch", a.reason());
    assertTrue(a.waitedMillis() >= Duration.ofMinutes(5).toMillis(), "waited " + a.waitedMillis());
    // A second approval of the same step is refused.
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("approve-start", "bo", null, null)))
        .contains("already approved by ana"));
    untilWaiting(wf, "sign-off");
    assertEquals("sign-off", waitingAttribute());
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("sign-off", "ana", null, null)))
        .contains("needs a value"));
    wf.approve(new ApprovalRequest("sign-off", "ana", null, "10.0.0.7"));
    List<StepTiming> steps = List.of(WorkflowStub.fromTyped(wf).getResult(StepTiming[].class));
    assertEquals(List.of("prepare", "approve-start", "work", "sign-off"),
        steps.stream().map(StepTiming::step).toList());
    // Human waits are recorded apart from machine time.
    assertEquals(0, steps.get(0).humanWaitMillis());
    assertTrue(steps.get(0).machineMillis() >= Duration.ofMinutes(1).toMillis());
    assertTrue(steps.get(1).humanWaitMillis() >= Duration.ofMinutes(5).toMillis());
    assertEquals(0, steps.get(1).machineMillis());
    assertEquals("approved", steps.get(1).outcome());
    assertEquals(0, steps.get(2).humanWaitMillis());
    assertNull(waitingAttribute());
    assertEquals(List.of("approve-start", "sign-off"),
        wf.approvals().stream().map(Approval::step).toList());
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        TwoStepWorkflowImpl.class);
  }

  @Test
  void remindsEveryIntervalAndNeverProceedsAlone() {
    TwoStepWorkflow wf = start("ana");
    untilWaiting(wf, "approve-start");
    env.sleep(Duration.ofMinutes(35));
    WaitingStep w = wf.waitingSteps().get(0);
    assertEquals(3, w.reminders(), "reminders after 35 min at 10 min: " + w);
    long reminders = sent.stream().filter(n -> n.subject().startsWith("reminder")).count();
    assertEquals(3, reminders);
    assertEquals(4, sent.size(), "first notice + 3 reminders: " + sent);
    assertEquals(Notification.EVENT_HUMAN_STEP_WAITING, sent.get(0).event());
    assertTrue(sent.get(0).details().get("approve with")
        .equals("lifeboat approve gated-run approve-start --by NAME"));
    // Still waiting hours later: no timeout that proceeds.
    env.sleep(Duration.ofHours(5));
    assertEquals(List.of("approve-start"),
        wf.waitingSteps().stream().map(WaitingStep::step).toList());
    assertTrue(rejection(() -> wf.approve(new ApprovalRequest("approve-start", "bo", null, null)))
        .contains("bo may not approve approve-start; approvers: ana"));
    Approval a = wf.approve(new ApprovalRequest("approve-start", "ana", null, null));
    assertTrue(a.reminders() >= 30, "reminders counted: " + a.reminders());
    WorkflowStub.fromTyped(wf).terminate("test over");
  }
}
