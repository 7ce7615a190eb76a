package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.WaitingStep;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Drill schedules come from the config: `schedules apply` creates the monthly and quarterly
 * ones; a triggered quarterly drill waits for the drill lead (visible by search attribute), and
 * a cancelled one stops waiting and clears it.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DrillSchedulesEndToEndTest {
  private RealStack stack;
  private List<String> scheduleIds = List.of();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    for (String id : scheduleIds) {
      try {
        stack.temporal().schedules().getHandle(id).delete();
      } catch (RuntimeException ignored) {
        // not created
      }
    }
    stack.close();
  }

  @Test
  void applyCreatesDrillSchedulesAndATriggeredDrillWaitsForItsLead() throws Exception {
    String db = stack.tag + "_nodb";
    Path config = stack.config("drillsched", root -> {
      root.put("estate", stack.tag);
      RealStack.addDatabase(root, db);
      root.putObject("drills").put("lead", "ana").put("monthlySchedule", "0 9 1 * *")
          .put("quarterlySchedule", "0 9 15 1,4,7,10 *");
    });
    scheduleIds = List.of("backup-db-" + stack.tag + "-" + db, "schedule-drill-monthly-" + stack.tag,
        "schedule-drill-quarterly-" + stack.tag, "verify-backups-" + stack.tag,
        "check-backups-" + stack.tag);
    RealStack.Run apply = stack.cli("schedules", "apply", "--task-queue", stack.taskQueue,
        "--config", config.toString());
    assertEquals(0, apply.exit(), apply.err());
    assertTrue(apply.out().contains("created schedule schedule-drill-monthly-" + stack.tag
        + ": '0 9 1 * *'"), apply.out());
    assertTrue(apply.out().contains("created schedule schedule-drill-quarterly-" + stack.tag
        + ": '0 9 15 1,4,7,10 *'"), apply.out());

    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id",
        "schedule-drill-quarterly-" + stack.tag, "--address", stack.base.temporal().address(),
        "--namespace", stack.base.temporal().namespace());
    String id = null;
    for (int i = 0; i < 240 && id == null; i++) {
      List<WorkflowExecutionMetadata> found = stack.temporal().client().listExecutions(
          "TaskQueue = '" + stack.taskQueue + "' AND LifeboatWaitingStep = 'approve-start'")
          .toList();
      if (!found.isEmpty()) id = found.get(0).getExecution().getWorkflowId();
      else Thread.sleep(500);
    }
    assertTrue(id != null && id.startsWith("drill-quarterly-" + stack.tag), "drill waiting: " + id);
    WorkflowStub stub = stack.temporal().client().newUntypedWorkflowStub(id);
    WaitingStep[] waiting = stub.query("waitingSteps", WaitingStep[].class);
    assertEquals("approve-start", waiting[0].step());
    assertTrue(waiting[0].prompt().contains("Approve to begin"), waiting[0].prompt());

    stub.cancel();
    WorkflowExecutionStatus status = null;
    for (int i = 0; i < 240; i++) {
      var d = stub.describe();
      status = d.getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        assertNull(d.getTypedSearchAttributes().get(LifeboatSearchAttributes.WAITING_STEP),
            "a cancelled drill is no longer listed as waiting");
        break;
      }
      Thread.sleep(500);
    }
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, status);
    RealStack.Run report = stack.cli("report", id, "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("the drill was cancelled"), report.out());
  }
}
