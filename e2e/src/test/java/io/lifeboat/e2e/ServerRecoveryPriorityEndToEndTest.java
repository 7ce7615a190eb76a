package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17: a recovery target holding two databases of different priorities plus the app.
 * {@code dr} lists a second production database (analytics, its own archiving cluster) at P1
 * and its own database and the app at P2, and a second application (reports, on analytics) at
 * P3; `recover server` restores analytics first, then the P2 database, then the apps, both
 * clusters on the target hold production's rows, and both applications run under the target's
 * PM2 and answer their health URLs. The order
 * is read from the workflow history (child workflows and activities as Temporal recorded them).
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryPriorityEndToEndTest {
  private RealStack stack;
  private SampleApp app;
  private ServerTarget target;
  private ArchivingCluster analytics;
  private String analyticsDb;
  private String targetName;
  private final int analyticsPort = SampleApp.freePort();
  private final int analyticsTargetPort = SampleApp.freePort();
  /** The second application (reports, on analytics, P3): where it listens on the target. */
  private String reports;
  private final int reportsTargetPort = SampleApp.freePort();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    analyticsDb = stack.tag + "_an";
    targetName = "dr-" + stack.tag;
    reports = "rp" + stack.tag;
    Path reportsRoot = reportsRelease(stack);
    target = new ServerTarget(stack, app, LocalAcme.shared(), ServerTarget.ADDRESS, c -> {
      ArrayNode dbs = (ArrayNode) c.get("databases");
      ObjectNode second = ((ObjectNode) dbs.get(0)).deepCopy();
      second.put("name", analyticsDb).put("port", analyticsPort);
      dbs.add(second);
      ObjectNode dr = (ObjectNode) c.get("servers").get(0);
      // A name of its own: its workflow id (recover-server-NAME) is not another test's dr.
      dr.put("name", targetName);
      ArrayNode items = dr.putArray("databases");
      items.addObject().put("name", dr.get("database").asText()).put("priority", "P2");
      items.addObject().put("name", analyticsDb).put("priority", "P1")
          .put("port", analyticsTargetPort);
      // A second production application (never running in production: only its stored
      // build matters), restored at P3 onto analytics and served on a port of its own.
      ObjectNode rp = ((ArrayNode) c.get("applications")).addObject();
      rp.put("name", reports).put("releaseRoot", reportsRoot.toString())
          .put("pm2Name", reports).put("pm2Home", app.pm2Home.toString())
          .put("healthUrl", "http://127.0.0.1:" + SampleApp.freePort() + "/api/health");
      ArrayNode apps = dr.putArray("applications");
      apps.addObject().put("name", "farmtally").put("priority", "P2");
      apps.addObject().put("name", reports).put("priority", "P3").put("port", reportsTargetPort)
          .put("database", analyticsDb);
    });
    analytics = new ArchivingCluster(stack.tag, analyticsDb, analyticsPort, target.config);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (target != null) target.close(); // target reset: stops both clusters on the target
    } finally {
      try {
        if (analytics != null) analytics.close();
      } finally {
        app.close();
        stack.close();
      }
    }
  }

  /** The reports application's release root: the sample release, named reports, in current/. */
  private Path reportsRelease(RealStack stack) throws Exception {
    Path root = stack.dir.resolve("estate/" + reports);
    Path current = root.resolve("current");
    try (var files = java.nio.file.Files.walk(SampleApp.SOURCE)) {
      for (Path p : files.toList()) {
        Path to = current.resolve(SampleApp.SOURCE.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(to);
        } else if (!p.toString().contains("node_modules")) {
          java.nio.file.Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    java.nio.file.Files.writeString(current.resolve("REVISION"), "rp1\n");
    java.nio.file.Files.writeString(current.resolve("release.json"),
        "{ \"name\": \"" + reports + "\", \"revision\": \"rp1\" }\n");
    return root;
  }

  /** Waits for the dns step; a run that ended before it fails the test with its reason. */
  private static void awaitDnsOrFailure(WorkflowClient client, String id) throws Exception {
    for (int i = 0; i < 1200; i++) {
      try {
        ServerRecoveryResult early = client.newUntypedWorkflowStub(id)
            .getResult(1, TimeUnit.SECONDS, ServerRecoveryResult.class);
        throw new AssertionError("the recovery ended before dns: " + early.report().notes());
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        try {
          var p = client.newUntypedWorkflowStub(id).query("progress",
              io.lifeboat.recover.server.ServerRecoveryProgress.class);
          if (p.waiting().stream().anyMatch(w -> w.step().equals("dns"))) return;
        } catch (io.temporal.client.WorkflowQueryException
            | io.temporal.client.WorkflowServiceException busy) {
          // the workflow is busy with a task (or between workers): ask again
        }
        Thread.sleep(300);
      } catch (io.temporal.client.WorkflowFailedException failed) {
        Throwable c = failed;
        while (c.getCause() != null) c = c.getCause();
        throw new AssertionError("the recovery failed before dns: " + c.getMessage(), failed);
      } catch (io.temporal.client.WorkflowServiceException busy) {
        Thread.sleep(300); // "Workflow is busy" under load: ask again
      }
    }
    throw new AssertionError(id + " never waited for dns");
  }

  @Test
  void theP1DatabaseComesBackFirstThenTheP2DatabaseThenItsApp() throws Exception {
    stack.startWorker(SampleApp.workerEnv());
    target.backUpProduction();
    PitrFixture.createDatabase(analytics);
    PitrFixture.psql(analytics, "create table events(id int primary key, what text)");
    PitrFixture.psql(analytics, "insert into events select g, 'e' || g"
        + " from generate_series(1, 321) g");
    PitrFixture.baseBackup(stack, target.config, analyticsDb);
    // A row only WAL replay brings back.
    PitrFixture.psql(analytics, "insert into events values (322, 'after the base backup')");
    PitrFixture.archiveAll(analytics);
    String users = target.sourceUsers();
    RealStack.Run backedUp = target.cli("backup", "app", reports, "--wait");
    assertEquals(0, backedUp.exit(), backedUp.out() + backedUp.err());

    String id = "recover-server-" + targetName;
    WorkflowClient client = stack.temporal().client();
    RealStack.Run started = target.cli("recover", "server", "--target", targetName);
    assertEquals(0, started.exit(), started.out() + started.err());
    ServerTarget.awaitWaiting(client, id, "provision");
    RealStack.Run ok = target.cli("approve", id, "provision", "--by", "dana", "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    awaitDnsOrFailure(client, id);
    target.pointDns();
    RealStack.Run dns = target.cli("approve", id, "dns", "--by", "dana", "--value",
        ServerTarget.ADDRESS);
    assertEquals(0, dns.exit(), dns.out() + dns.err());
    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());

    // The order, as the history recorded it.
    String p1 = id + "-db-" + analyticsDb;
    String p2 = id + "-db-" + target.db;
    List<String> seen = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
      if (e.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
        seen.add("start " + e.getStartChildWorkflowExecutionInitiatedEventAttributes()
            .getWorkflowId());
      } else if (e.hasChildWorkflowExecutionCompletedEventAttributes()) {
        seen.add("done " + e.getChildWorkflowExecutionCompletedEventAttributes()
            .getWorkflowExecution().getWorkflowId());
      } else if (e.hasActivityTaskScheduledEventAttributes()
          && e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
              .equals("StageRelease")) {
        seen.add("stage release");
      }
    }
    assertEquals(List.of("start " + p1, "done " + p1, "start " + p2, "done " + p2,
        "stage release", "stage release"), seen);

    // Both clusters on the target hold production's rows, WAL replay's last one included.
    assertEquals(users, target.targetSql("select count(*) from users"));
    assertEquals("322", ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h",
        "127.0.0.1", "-p", String.valueOf(analyticsTargetPort), "-U", "postgres", "-d",
        analyticsDb, "-c", "select count(*) from events").strip());
    assertTrue(Path.of(target.root.toString(), "postgresql", analyticsDb + "-data").toFile()
        .isDirectory());
    // The report names the items with their priorities, in order.
    assertEquals("P1 database " + analyticsDb + ", P2 database " + target.db
        + ", P2 application farmtally, P3 application " + reports,
        r.report().facts().get("Restore order"));
    assertEquals("users=" + users, r.health().data().split(" ")[0], r.health().data());

    // The services step started the second application too: online under the target's PM2,
    // answering its health URL on its own port with its own release, and the report says so.
    String jlist = pm2(target.root.resolve("pm2"), "jlist");
    com.fasterxml.jackson.databind.JsonNode procs = new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(jlist.substring(jlist.indexOf('[')));
    List<String> online = new ArrayList<>();
    procs.forEach(p -> {
      if ("online".equals(p.path("pm2_env").path("status").asText())) {
        online.add(p.path("name").asText());
      }
    });
    assertTrue(online.contains(reports) && online.contains(app.pm2Name),
        "online under the target's PM2: " + online);
    String health = ArchivingCluster.sh("curl", "-fsS", "http://" + ServerTarget.ADDRESS + ":"
        + reportsTargetPort + "/api/health");
    assertTrue(health.contains("\"app\":\"" + reports + "\"") && health.contains("rp1"), health);
    String services = r.report().facts().get("Services");
    assertTrue(services.startsWith("farmtally: pm2 ") && services.contains(reports + ": pm2 ")
        && services.contains(reports + " healthy at http://" + ServerTarget.ADDRESS + ":"
            + reportsTargetPort + "/api/health"), services);
  }

  /** pm2 under the target's PM2_HOME. */
  private static String pm2(Path home, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(SampleApp.pm2Bin()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PM2_HOME", home.toString());
    pb.environment().put("PM2_DISCRETE_MODE", "true");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return out;
  }
}
