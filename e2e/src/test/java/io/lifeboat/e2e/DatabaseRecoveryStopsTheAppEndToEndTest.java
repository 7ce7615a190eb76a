package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 22, Scenario 1 with the real application: `recover db` stops the sample app under
 * real PM2 before the restore and starts it after (the runbook: stop app, restore, start app,
 * health). The app is this test's own instance (SampleApp: its own PM2_HOME and a free port),
 * so the shared stack's app at :3300 is never touched; its PM2 daemon is killed at the end.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DatabaseRecoveryStopsTheAppEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private ArchivingCluster cluster;
  private SampleApp app;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_scen1";
    int port = ArchivingCluster.freePort();
    int metricsPort = ArchivingCluster.freePort();
    app = new SampleApp(stack, Map.of(), "scen1-" + stack.tag);
    config = stack.config("scenario1", root -> {
      ArchivingCluster.point(root, db, port);
      root.putObject("metrics").put("port", metricsPort);
      ObjectNode entry = (ObjectNode) root.get("databases").get(0);
      entry.putObject("recovery").putObject("application").put("pm2Name", app.pm2Name)
          .put("pm2Home", app.pm2Home.toString()).put("healthUrl", app.url("/api/health"));
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    app.start();
    stack.startWorker(SampleApp.workerEnv());
    PitrFixture.createDatabase(cluster);
    PitrFixture.psql(cluster, "create table scen1_rows (id int primary key)");
    PitrFixture.baseBackup(stack, config, db);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      try {
        app.close(); // this test's PM2 daemon only
      } finally {
        stack.close();
      }
    }
  }

  @Test
  void theRecoveryStopsTheRealAppDuringTheRestoreAndItAnswersAfter() throws Exception {
    for (int i = 1; i <= 3; i++) {
      PitrFixture.psql(cluster, "insert into scen1_rows values (" + i + ")");
    }
    PitrFixture.archiveAll(cluster);
    int pidBefore = pid();
    assertEquals(200, app.status("/api/health"));

    // Watch the app's health while the recovery runs: it must go away and come back.
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        int s = app.status("/api/health");
        if (seen.isEmpty() || seen.get(seen.size() - 1) != s) seen.add(s);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
    RealStack.Run r;
    try {
      r = stack.cli("recover", "db", db, "--latest", "--wait", "--config", config.toString());
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log());

    // Up, down while the database was replaced, up again.
    assertEquals(200, seen.get(0), "health while the recovery ran: " + seen);
    assertTrue(seen.stream().anyMatch(s -> s != 200), "the app was stopped: " + seen);
    assertEquals(200, seen.get(seen.size() - 1), "the app answers after: " + seen);
    assertEquals(200, app.status("/api/health"));
    assertNotEquals(pidBefore, pid(), "PM2 started a new process");
    assertEquals("online", pm2Status());
    assertEquals("1,2,3", PitrFixture.psql(cluster,
        "select string_agg(id::text, ',' order by id) from scen1_rows"));

    RealStack.Run report = stack.cli("report", io.lifeboat.recover.db.DatabaseRecoveryWorkflow
        .workflowId(new io.lifeboat.config.ConfigLoader().load(config).estate(), db),
        "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("stop-application"), report.out());
    assertTrue(report.out().contains("start-application"), report.out());
  }

  private JsonNode process() throws Exception {
    String out = app.pm2("jlist");
    String body = out.substring(out.indexOf('['));
    for (JsonNode p : JSON.readTree(body)) {
      if (app.pm2Name.equals(p.path("name").asText())) return p;
    }
    throw new AssertionError(app.pm2Name + " not in pm2 jlist: " + out);
  }

  private int pid() throws Exception {
    return process().path("pid").asInt();
  }

  private String pm2Status() throws Exception {
    return process().path("pm2_env").path("status").asText();
  }
}
