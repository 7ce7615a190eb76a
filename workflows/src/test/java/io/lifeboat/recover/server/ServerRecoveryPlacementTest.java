package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.host.ActivityPlacement.Where;
import io.lifeboat.host.PlacedFake;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a server recovery onto a target that names {@code host: dr1}. The target-side
 * steps (release, PM2, nginx, certbot's webroot, the app's health) are served from dr1's queue
 * only; ansible, DNS and the HTTPS check from the main queue only; the database child is asked
 * to recover onto dr1 (its own routing is RecoveryPlacementTest's).
 */
class ServerRecoveryPlacementTest {
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String DR1 = TaskQueues.forHost(MAIN, "dr1");

  private TestWorkflowEnvironment env;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  static ServerRecoveryRequest onHost(String host) {
    ServerRecoveryRequest r = ServerRecoveryWorkflowTest.request();
    ServerTargetConfig t = r.target();
    ServerTargetConfig target = new ServerTargetConfig(t.name(), t.address(), t.root(),
        t.domain(), t.httpPort(), t.httpsPort(), t.appPort(), t.database(), t.application(),
        t.postgres(), t.inventory(), t.playbook(), t.provisionPlaybook(), t.acme(), t.dns(),
        t.production(), host);
    return new ServerRecoveryRequest(target, r.database(), r.application(), r.repository(),
        r.rtoMinutes(), r.databaseRtoMinutes(), r.estate(), r.retry(), r.notifications());
  }

  private ServerRecoveryResult recover(String host) {
    ServerRecoveryWorkflowTest.calls.clear();
    ServerRecoveryWorkflowTest.childRequests.clear();
    ServerRecoveryWorkflowTest.failIn = null;
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(ServerRecoveryWorkflowImpl.class,
        ServerRecoveryWorkflowTest.FakeDatabaseRecovery.class);
    ServerRecoveryActivities server = new ServerRecoveryWorkflowTest.Server();
    RollbackActivities release = new ServerRecoveryWorkflowTest.Release();
    control.registerActivitiesImplementations(
        PlacedFake.serving(ServerRecoveryActivities.class, server, Where.ANYWHERE, calls),
        (NotificationActivities) (Delivery d) -> { },
        (ReportActivities) r -> new ReportActivities.StoredReport("r.json", "r.md", "r.html"),
        PlacedFake.agentsPresent(asked));
    env.newWorker(TaskQueues.forHost(MAIN, host))
        .registerActivitiesImplementations(
            PlacedFake.serving(ServerRecoveryActivities.class, server, Where.HOST_BOUND, calls),
            PlacedFake.serving(RollbackActivities.class, release, Where.HOST_BOUND, calls));
    env.start();
    ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ServerRecoveryWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(ServerRecoveryWorkflowTest.ID).setTaskQueue(MAIN).build());
    WorkflowClient.start(wf::recover, onHost(host));
    approveWhenWaiting(wf, "provision", "10.0.0.9");
    approveWhenWaiting(wf, "dns", "10.0.0.9");
    return WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
  }

  private void approveWhenWaiting(ServerRecoveryWorkflow wf, String step, String value) {
    for (int i = 0; i < 200; i++) {
      if (wf.waitingSteps().stream().anyMatch(w -> w.step().equals(step))) {
        wf.approve(new ApprovalRequest(step, "dana", null, value));
        return;
      }
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError(step + " never waited");
  }

  @Test
  void theTargetSideStepsRunOnTheTargetsAgent() {
    ServerRecoveryResult r = recover("dr1");
    assertEquals(List.of("runPlaybook@" + MAIN, "newestRelease@" + MAIN,
        "stageRelease@" + DR1, "installDependencies@" + DR1, "swapRelease@" + DR1,
        "startApp@" + DR1, "savePm2@" + DR1, "verifyHealth@" + DR1, "startNginx@" + DR1,
        "issueCertificate@" + DR1, "runPlaybook@" + MAIN, "startNginx@" + DR1,
        "checkHttps@" + MAIN), calls);
    assertEquals(List.of(DR1), asked);
    assertEquals("dr1", ServerRecoveryWorkflowTest.childRequests.get(0).database().onHost());
    Map<String, String> hosts = r.steps().stream().collect(Collectors.toMap(StepTiming::step,
        s -> String.valueOf(s.host()), (a, b) -> a));
    assertEquals("dr1", hosts.get("application"));
    assertEquals("dr1", hosts.get("services"));
    assertEquals("dr1", hosts.get("tls"));
    assertEquals("null", hosts.get("configure"));
    assertEquals("null", hosts.get("health"));
  }

  @Test
  void withoutAHostEverythingStaysOnTheMainQueue() {
    // The one worker serves every activity from the main queue, as the local stack does.
    ServerRecoveryWorkflowTest.calls.clear();
    ServerRecoveryWorkflowTest.childRequests.clear();
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T10:00:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(ServerRecoveryWorkflowImpl.class,
        ServerRecoveryWorkflowTest.FakeDatabaseRecovery.class);
    control.registerActivitiesImplementations(new ServerRecoveryWorkflowTest.Server(),
        new ServerRecoveryWorkflowTest.Release(), (NotificationActivities) (Delivery d) -> { },
        (ReportActivities) r -> new ReportActivities.StoredReport("r.json", "r.md", "r.html"),
        PlacedFake.agentsPresent(asked));
    env.start();
    ServerRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ServerRecoveryWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(ServerRecoveryWorkflowTest.ID).setTaskQueue(MAIN).build());
    WorkflowClient.start(wf::recover, onHost(null));
    approveWhenWaiting(wf, "provision", "10.0.0.9");
    approveWhenWaiting(wf, "dns", "10.0.0.9");
    ServerRecoveryResult r = WorkflowStub.fromTyped(wf).getResult(ServerRecoveryResult.class);
    assertEquals(List.of(), asked);
    assertNull(ServerRecoveryWorkflowTest.childRequests.get(0).database().onHost());
    for (StepTiming s : r.steps()) assertNull(s.host(), s.toString());
  }
}
