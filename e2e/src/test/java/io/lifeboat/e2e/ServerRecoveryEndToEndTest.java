package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.WaitingStep;
import io.lifeboat.run.StepTiming;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `recover server --target dr` onto the empty second server, for real: ansible lays down
 * nginx and the app's runtime, PITR rebuilds the database in the target's own cluster, the
 * release comes from the repository (npm ci), PM2 and nginx start, certbot gets a certificate
 * from pebble after the test (the person) points DNS at the target, and the app answers over
 * HTTPS with the restored rows. Both human steps are approved through the CLI.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryEndToEndTest {
  private RealStack stack;
  private SampleApp app;
  private ServerTarget target;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    target = new ServerTarget(stack, app);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (target != null) target.close();
    } finally {
      app.close();
      stack.close();
    }
  }

  @Test
  void recoversTheWholeServerOntoTheSecondTargetAndServesRestoredDataOverHttps() throws Exception {
    stack.startWorker(SampleApp.workerEnv());
    target.backUpProduction();
    String users = target.sourceUsers();

    // The operator's terminal: --wait shows the steps, what waits for a person and the summary.
    java.util.concurrent.CompletableFuture<RealStack.Run> operator =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> target.cli("recover", "server", "--target", "dr", "--wait"));
    String id = "recover-server-dr";
    WorkflowClient client = stack.temporal().client();

    WaitingStep provision = ServerTarget.awaitWaiting(client, id, "provision");
    assertTrue(provision.valueRequired(), provision.toString());
    // What an operator sees while the step waits (the --wait watcher polls, so it may miss a
    // step approved within its poll interval; `waiting` asks the workflow itself).
    // `waiting` reads the visibility store, which follows the workflow a moment later.
    RealStack.Run waitingNow = target.cli("waiting");
    for (int i = 0; i < 60 && !waitingNow.out().contains(id); i++) {
      Thread.sleep(500);
      waitingNow = target.cli("waiting");
    }
    assertEquals(0, waitingNow.exit(), waitingNow.out() + waitingNow.err());
    assertTrue(waitingNow.out().contains(id) && waitingNow.out().contains("provision"),
        waitingNow.out());
    // Not an address: refused by the validator, one line, nothing recorded.
    RealStack.Run bad = target.cli("approve", id, "provision", "--by", "dana", "--value", "not-an-ip");
    assertEquals(2, bad.exit(), bad.out() + bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    RealStack.Run ok = target.cli("approve", id, "provision", "--by", "dana", "--value",
        ServerTarget.ADDRESS, "--reason", "second server ready");
    assertEquals(0, ok.exit(), ok.out() + ok.err());

    ServerTarget.awaitWaiting(client, id, "dns");
    // Before DNS points at it, nginx already serves the app over HTTP on the new server.
    assertTrue(Files.isRegularFile(target.root.resolve("nginx/conf/nginx.conf")));
    target.pointDns();
    RealStack.Run dns = target.cli("approve", id, "dns", "--by", "dana", "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, dns.exit(), dns.out() + dns.err());

    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    RealStack.Run waited = operator.get(2, TimeUnit.MINUTES);
    System.out.println(waited.out());
    assertEquals(0, waited.exit(), waited.out() + waited.err());
    assertTrue(waited.out().contains("recovered the server onto dr (127.0.0.2): https://"
        + target.domain + ":" + target.httpsPort), waited.out());
    assertTrue(waited.out().contains("(waiting for a person)"), waited.out());
    assertTrue(r.health().healthy());
    assertEquals("users=" + users, r.health().data().split(" ")[0], r.health().data());

    // The test's own look, through nginx over HTTPS with pebble's root: the restored rows,
    // including the one written after the base backup (WAL replay brought it).
    String stats = target.https("/api/stats");
    assertTrue(stats.contains("\"users\":" + users), stats);
    assertTrue(target.https("/api/health").contains("\"status\":\"ok\""));

    // The copy beside a live production does not archive: no new timeline in its archive.
    assertEquals("off", target.targetSql("show archive_mode"));
    assertTrue(stack.keys().stream().noneMatch(k -> k.contains("00000002.history")
        || k.contains("/00000002/")), stack.keys().toString());

    // People's time is apart from the machines'.
    StepTiming prov = step(r, "provision");
    StepTiming dnsStep = step(r, "dns");
    assertTrue(prov.human() && dnsStep.human(), r.steps().toString());
    assertEquals(r.humanWaitMillis(), prov.humanWaitMillis() + dnsStep.humanWaitMillis());
    for (String s : new String[] {"configure", "database", "application", "services", "tls",
        "health"}) {
      assertEquals(0, step(r, s).humanWaitMillis(), s);
    }
    assertTrue(r.reportKey() != null && stack.keys().contains(r.reportKey()), r.reportKey());
  }

  private static StepTiming step(ServerRecoveryResult r, String name) {
    return r.steps().stream().filter(s -> s.step().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + r.steps()));
  }
}
