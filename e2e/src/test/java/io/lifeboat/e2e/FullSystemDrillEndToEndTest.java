package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.WaitingStep;
import io.lifeboat.drill.DrillResult;
import io.lifeboat.drill.ScenarioResult;
import io.lifeboat.run.RunReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The quarterly full-system drill for real: `drill start quarterly --scenario full-system`
 * recovers the estate onto the second server (ServerRecoveryWorkflow as the drill's child),
 * the drill lead approves the drill's start, the child's provision and dns, and the sign-off;
 * afterwards the target is stopped and its root removed by the drill's compensation.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FullSystemDrillEndToEndTest {
  private static final String LEAD = "drill-lead";
  private static final Pattern STARTED = Pattern.compile("started drill quarterly: (\\S+)");
  private RealStack stack;
  private SampleApp app;
  private ServerTarget target;
  private String drillId;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    target = new ServerTarget(stack, app);
  }

  @AfterEach
  void down() throws Exception {
    try {
      // A failed test must not leave its drill waiting for a lead on a queue nobody polls.
      if (drillId != null) {
        try {
          stack.temporal().client().newUntypedWorkflowStub(drillId).terminate("test over");
        } catch (RuntimeException finished) {
          // completed already
        }
      }
      if (target != null) target.close();
    } finally {
      app.close();
      stack.close();
    }
  }

  @Test
  void quarterlyFullSystemDrillRecoversOntoTheTargetAndResetsIt() throws Exception {
    stack.startWorker(SampleApp.workerEnv());
    target.backUpProduction();
    String users = target.sourceUsers();
    WorkflowClient client = stack.temporal().client();

    RealStack.Run start = target.cli("drill", "start", "quarterly", "--scenario", "full-system",
        "--task-queue", stack.taskQueue);
    assertEquals(0, start.exit(), start.out() + start.err());
    Matcher m = STARTED.matcher(start.out());
    assertTrue(m.find(), start.out());
    String id = m.group(1);
    drillId = id;
    awaitDrillWaiting(client, id, "approve-start");
    // The example config's drill lead approves (drills.lead: drill-lead).
    RealStack.Run go = target.cli("approve", id, "approve-start", "--by", LEAD);
    assertEquals(0, go.exit(), go.out() + go.err());

    String child = "recover-server-dr";
    ServerTarget.awaitWaiting(client, child, "provision");
    RealStack.Run waiting = target.cli("waiting", "--json");
    assertTrue(waiting.out().contains(child) && waiting.out().contains("provision"), waiting.out());
    RealStack.Run ok = target.cli("approve", child, "provision", "--by", LEAD, "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    ServerTarget.awaitWaiting(client, child, "dns");
    target.pointDns();
    RealStack.Run dns = target.cli("approve", child, "dns", "--by", LEAD, "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, dns.exit(), dns.out() + dns.err());

    awaitDrillWaiting(client, id, "sign-off-full-system");
    // Before the sign-off the clean-up has run: the target is a bare server again.
    assertFalse(Files.exists(target.root), target.root + " still exists");
    RealStack.Run signed = target.cli("approve", id, "sign-off-full-system", "--by", LEAD);
    assertEquals(0, signed.exit(), signed.out() + signed.err());
    DrillResult r = client.newUntypedWorkflowStub(id).getResult(5, TimeUnit.MINUTES,
        DrillResult.class);
    assertEquals("succeeded", r.outcome(), r.toString());
    ScenarioResult s = r.results().get(0);
    assertEquals("full-system", s.scenario());
    assertTrue(s.integrity(), s.toString());
    assertTrue(String.join(" ", s.evidence()).contains("users=" + users), s.evidence().toString());
    for (RunReport.Criterion c : r.criteria()) assertTrue(c.met(), c.toString());
    RealStack.Run report = target.cli("report", id);
    assertTrue(report.out().contains("stop and reset server target dr"), report.out());
  }

  private static void awaitDrillWaiting(WorkflowClient client, String id, String step)
      throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    for (int i = 0; i < 2400; i++) {
      try {
        WaitingStep[] w = stub.query("waitingSteps", WaitingStep[].class);
        if (List.of(w).stream().anyMatch(x -> x.step().equals(step))) return;
      } catch (RuntimeException notYet) {
        // no worker has run the first task yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(step + " of " + id + " never waited");
  }
}
