package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.drill.DrillResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 22, approver lists: `approvals:` in the config says who may approve a step (per step,
 * else per workflow kind); anyone else is refused with one line and nothing is recorded; the
 * approver's name is in the result and the report. A real drill on the shared stack.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ApproverListsEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  @Test
  void onlyTheListedPeopleApproveEachStep() throws Exception {
    String db = stack.createDatabase("approvers", 50);
    Path config = stack.config("approvers", root -> {
      root.put("estate", stack.tag);
      // The lead alone would approve everything; the lists say otherwise.
      root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
      var approvals = root.putObject("approvals");
      approvals.putObject("workflows").putArray("drill").add("dora").add("eve");
      approvals.putObject("steps").putArray("sign-off-database").add("eve");
      RealStack.addDatabase(root, db);
    });
    stack.startWorker();
    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.err());

    String id = Drills.start(stack, stack.env, config, "quarterly", "--scenario", "database");

    Drills.awaitWaiting(stack, id, "approve-start");
    refused(approve(config, id, "approve-start", "ana"),
        "ana may not approve approve-start; approvers: dora, eve");
    assertEquals(0, approve(config, id, "approve-start", "dora").exit());

    Drills.awaitWaiting(stack, id, "sign-off-database");
    refused(approve(config, id, "sign-off-database", "dora"),
        "dora may not approve sign-off-database; approvers: eve");
    assertEquals(0, approve(config, id, "sign-off-database", "eve").exit());

    DrillResult result = stack.temporal().client().newUntypedWorkflowStub(id)
        .getResult(5, TimeUnit.MINUTES, DrillResult.class);
    assertEquals(List.of("approve-start by dora", "sign-off-database by eve"),
        result.approvals().stream().map(a -> a.step() + " by " + a.by()).toList());
    RealStack.Run report = stack.cli("report", id, "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("approve-start by dora"), report.out());
    assertTrue(report.out().contains("sign-off-database by eve"), report.out());
  }

  private static void refused(RealStack.Run r, String phrase) {
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(phrase), r.err());
  }

  /** Without --reason, unlike {@link Drills#approve}: approving needs no reason. */
  private RealStack.Run approve(Path config, String id, String step, String by) {
    return stack.cli("approve", id, step, "--by", by, "--config", config.toString());
  }
}
