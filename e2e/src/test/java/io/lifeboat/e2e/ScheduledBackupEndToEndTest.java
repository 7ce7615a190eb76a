package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** `schedules apply` creates a real Temporal Schedule; `temporal schedule trigger` runs it. */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ScheduledBackupEndToEndTest {
  private RealStack stack;
  private String scheduleId;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    if (scheduleId != null) {
      // apply also creates the database's base-backup and WAL-check schedules and the
      // estate's verification and check schedules (estate = this test)
      String db = scheduleId.substring(("backup-db-" + stack.tag + "-").length());
      for (String id : List.of(scheduleId, "backup-base-" + stack.tag + "-" + db,
          "wal-check-" + stack.tag + "-" + db,
          "verify-backups-" + stack.tag, "check-backups-" + stack.tag)) {
        try {
          stack.temporal().schedules().getHandle(id).delete();
        } catch (RuntimeException ignored) {
          // already gone
        }
      }
    }
    stack.close();
  }

  @Test
  void appliedScheduleExistsIsIdempotentAndTriggerRunsABackup() throws Exception {
    String db = stack.createDatabase("sched", 1_000);
    Path config = stack.config("sched", root -> {
      RealStack.addDatabase(root, db);
      root.put("estate", stack.tag);
    });
    scheduleId = DatabaseBackupWorkflow.workflowId(stack.tag, db); // names the estate

    RealStack.Run first = stack.cli("schedules", "apply", "--config", config.toString());
    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("created schedule " + scheduleId), first.out());
    assertTrue(first.out().contains("created schedule verify-backups-" + stack.tag + ": '30 5 * * *'"),
        first.out());
    assertTrue(first.out().contains("created schedule check-backups-" + stack.tag), first.out());
    RealStack.Run again = stack.cli("schedules", "apply", "--config", config.toString());
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("updated schedule " + scheduleId), again.out());

    RealStack.Run list = stack.cli("schedules", "list", "--json", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    List<String> next = AppSchedulesEndToEndTest.nextRuns(new ObjectMapper().readTree(list.out()),
        scheduleId);
    assertTrue(!next.isEmpty() && next.stream().allMatch(t -> t.endsWith("T02:00:00Z")),
        list.out());

    // The operator's own tool fires it, as they would from the web UI.
    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id", scheduleId,
        "--address", stack.base.temporal().address(), "--namespace", stack.base.temporal().namespace());

    String query = "LifeboatDatabase='" + db + "'";
    WorkflowExecutionMetadata done = null;
    for (int i = 0; i < 120 && done == null; i++) {
      List<WorkflowExecutionMetadata> runs = stack.temporal().client().listExecutions(query).toList();
      done = runs.stream().filter(r -> r.getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED).findFirst().orElse(null);
      if (done == null) Thread.sleep(1000);
    }
    assertTrue(done != null, "a scheduled backup completed");
    assertTrue(done.getExecution().getWorkflowId().startsWith(scheduleId + "-"),
        "scheduled runs get the schedule time in their id: " + done.getExecution().getWorkflowId());
    assertEquals(1, stack.keys().stream().filter(k -> k.endsWith("manifest.json")).count(),
        stack.keys().toString());

    // The estate's verification and check schedules fire their workflows too: the backup
    // just taken verifies, and the check finds it fresh.
    var verification = triggerAndWait("verify-backups-" + stack.tag,
        io.lifeboat.verify.VerificationReport.class);
    assertTrue(verification.passed(), verification.toString());
    assertEquals(db, verification.results().get(0).source());
    // The check covers every kind since issue 22: this estate has no base backup and no drill
    // yet, so those are (rightly) problems; the dump the schedule took is fresh and compliant.
    var check = triggerAndWait("check-backups-" + stack.tag,
        io.lifeboat.check.CheckReport.class);
    var dump = check.sources().stream()
        .filter(x -> x.kind().equals("db-full") && x.source().equals(db)).findFirst()
        .orElseThrow(() -> new AssertionError("no db-full check of " + db + ": " + check));
    assertTrue(dump.fresh() && dump.retentionCompliant() && dump.problems().isEmpty(),
        check.toString());
    assertTrue(check.sources().stream().anyMatch(x -> x.kind().equals("drill") && !x.fresh()),
        "a drill never run is overdue: " + check);
  }

  private <T> T triggerAndWait(String schedule, Class<T> resultType) throws Exception {
    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id", schedule,
        "--address", stack.base.temporal().address(), "--namespace",
        stack.base.temporal().namespace());
    String query = "WorkflowId STARTS_WITH '" + schedule + "-'";
    for (int i = 0; i < 120; i++) {
      var runs = stack.temporal().client().listExecutions(query).toList();
      if (!runs.isEmpty()) {
        return stack.temporal().client().newUntypedWorkflowStub(
            runs.get(0).getExecution().getWorkflowId()).getResult(2, java.util.concurrent.TimeUnit.MINUTES, resultType);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("schedule " + schedule + " started nothing");
  }
}
