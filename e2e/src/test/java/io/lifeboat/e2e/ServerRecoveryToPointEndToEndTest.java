package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `recover server --target dr --to-point NAME` (issue 22): after a restore point, production
 * goes on (a row, a newer application backup); the server rebuilt from the point has exactly
 * the point's rows and the point's release, not the newest of either. An unknown point is one
 * line and starts nothing.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryToPointEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private SampleApp app;
  private ServerTarget target;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    Path etc = stack.dir.resolve("etc");
    Files.createDirectories(etc);
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    target = new ServerTarget(stack, app, LocalAcme.shared(), ServerTarget.ADDRESS,
        c -> c.putObject("configuration").putArray("files").add(etc.resolve("hosts").toString()));
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
  void theServerComesBackWithThePointsRowsAndThePointsRelease() throws Exception {
    stack.startWorker(SampleApp.workerEnv());
    target.backUpProduction();
    String point = "before-" + stack.tag;
    RealStack.Run taken = target.cli("snapshot", point, "--wait", "--json");
    assertEquals(0, taken.exit(), taken.out() + taken.err());
    String pointRelease = JSON.readTree(taken.out()).path("applicationBackups")
        .path("farmtally").asText();
    assertFalse(pointRelease.isEmpty(), taken.out());
    String usersAtPoint = target.sourceUsers();

    // Production goes on after the point: a row (archived) and a newer application backup.
    PitrFixture.psql(target.cluster, "insert into users(email, created_at)"
        + " values ('after-the-point@farmtally.test', now())");
    PitrFixture.archiveAll(target.cluster);
    assertNotEquals(usersAtPoint, target.sourceUsers());
    RealStack.Run newer = target.cli("backup", "app", "farmtally", "--wait", "--json");
    assertEquals(0, newer.exit(), newer.out() + newer.err());
    JsonNode newerManifest = JSON.readTree(newer.out());
    String newest = newerManifest.path("backupId").asText(newerManifest.toString());
    assertFalse(newest.contains(pointRelease), newest);

    RealStack.Run unknown = target.cli("recover", "server", "--target", "dr", "--to-point",
        "no-such-point");
    assertNotEquals(0, unknown.exit());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    assertTrue(unknown.err().contains("no restore point no-such-point"), unknown.err());

    CompletableFuture<RealStack.Run> operator = CompletableFuture.supplyAsync(
        () -> target.cli("recover", "server", "--target", "dr", "--to-point", point, "--wait"));
    String id = "recover-server-dr";
    WorkflowClient client = stack.temporal().client();
    ServerTarget.awaitWaiting(client, id, "provision");
    RealStack.Run ok = target.cli("approve", id, "provision", "--by", "dana", "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    ServerTarget.awaitWaiting(client, id, "dns");
    target.pointDns();
    RealStack.Run dns = target.cli("approve", id, "dns", "--by", "dana", "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, dns.exit(), dns.out() + dns.err());

    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());
    RealStack.Run waited = operator.get(2, TimeUnit.MINUTES);
    assertEquals(0, waited.exit(), waited.out() + waited.err());
    assertEquals("users=" + usersAtPoint, r.health().data().split(" ")[0], r.health().data());
    assertEquals(usersAtPoint, target.targetSql("select count(*) from users"));
    assertEquals("0", target.targetSql(
        "select count(*) from users where email = 'after-the-point@farmtally.test'"));
    String release = r.report().facts().get("Release");
    assertTrue(release != null && release.contains(pointRelease),
        "the point's release " + pointRelease + ": " + r.report().facts());
  }
}
