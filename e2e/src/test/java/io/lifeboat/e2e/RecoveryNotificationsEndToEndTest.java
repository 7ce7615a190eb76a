package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The communication plan on a real `recover db --latest` (base backup + WAL replay): a real
 * HTTP webhook receiver gets started, at least one status and finished, each with the
 * projected finish; statusEveryMinutes is 0.02 (a status every 1.2 seconds) so a status comes
 * during a recovery of seconds. The achieved RPO in the report is the last transaction the
 * restored data holds.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RecoveryNotificationsEndToEndTest {
  private static final String HOOK_ENV = "LIFEBOAT_TEST_WEBHOOK_URL";

  private RealStack stack;
  private ArchivingCluster cluster;
  private HttpServer receiver;
  private String db;
  private Path config;
  private final List<String> texts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_notify";
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      JsonNode body = new ObjectMapper().readTree(new String(
          exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      texts.add(body.get("text").asText());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    int port = ArchivingCluster.freePort();
    config = stack.config("notify", root -> {
      ArchivingCluster.point(root, db, port);
      ObjectNode entry = (ObjectNode) root.get("databases").get(0);
      entry.putArray("validation").addObject().put("name", "marks present")
          .put("sql", "select count(*) from rpo_marks").put("minimum", 1);
      ObjectNode n = root.putObject("notifications");
      n.putObject("webhook").put("urlEnv", HOOK_ENV);
      n.put("statusEveryMinutes", 0.02);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      receiver.stop(0);
      stack.close();
      throw e;
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(HOOK_ENV, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    stack.startWorker(env);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      receiver.stop(0);
      stack.close();
    }
  }

  @Test
  void latestRecoverySendsStartedStatusAndFinishedAndReportsTheAchievedRpo() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.psql(cluster, "create table rpo_marks (id serial primary key,"
        + " at timestamptz not null default clock_timestamp()) with (autovacuum_enabled = off)");
    PitrFixture.baseBackup(stack, config, db);
    PitrFixture.pgbench(cluster, "-c", "2", "-j", "1", "-t", "200", "-N");
    for (int i = 0; i < 5; i++) PitrFixture.psql(cluster, "insert into rpo_marks default values");
    Instant lastMark = Instant.parse(PitrFixture.psql(cluster,
        "select to_char(max(at) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            + " from rpo_marks"));
    PitrFixture.archiveAll(cluster);
    Instant archived = Instant.now();
    String expected = PitrFixture.checksum(cluster);

    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    System.out.println(r.out());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(expected, PitrFixture.checksum(cluster));
    assertTrue(r.out().contains("projected finish"), "--wait shows the projection: " + r.out());
    // A first recovery (no previous run: the RTO split) is within its RTO at its first step:
    // the few hundred ms before that step do not push it over (patch projection-net-of-lead).
    String firstLook = r.out().lines().filter(l -> l.contains("projected finish")).findFirst()
        .orElseThrow();
    assertTrue(firstLook.contains("within the RTO"), firstLook);

    // The webhook: started, one status or more, finished, each with the projected finish.
    // (The base backup before it said backup-started and backup-finished: issue 22.)
    List<String> run = texts.stream().filter(t -> t.contains("(event: run-")).toList();
    assertEquals(List.of("backup-started", "backup-finished"), texts.stream()
        .filter(t -> !run.contains(t)).map(t -> t.substring(t.lastIndexOf("(event: ") + 8,
            t.lastIndexOf(')'))).toList(), texts.toString());
    List<String> events = run.stream().map(t -> t.substring(t.lastIndexOf("(event: ") + 8,
        t.lastIndexOf(')'))).toList();
    assertEquals("run-started", events.get(0), texts.toString());
    assertEquals("run-finished", events.get(events.size() - 1), texts.toString());
    assertTrue(events.subList(1, events.size() - 1).stream().allMatch("run-status"::equals)
        && events.size() >= 3, "at least one status between: " + events);
    for (String t : run) {
      assertTrue(t.contains("- Projected finish: "), t);
      assertTrue(t.contains("recovery of database " + db), t);
    }
    String status = run.get(1);
    assertTrue(status.contains("- Current step: ") && status.contains("- Elapsed: ")
        && status.contains("- Steps done: "), status);

    // The achieved RPO: the last commit restored is the last mark (or a commit after it, such
    // as an autoanalyze), and nothing after the archive switch.
    String restoredMark = PitrFixture.psql(cluster,
        "select to_char(max(at) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            + " from rpo_marks");
    assertEquals(lastMark, Instant.parse(restoredMark), "the restored data ends at the last mark");
    RealStack.Run report = stack.cli("report", io.lifeboat.recover.db.DatabaseRecoveryWorkflow
        .workflowId(stack.base.estate(), db), "--json", "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    JsonNode facts = new ObjectMapper().readTree(report.out()).get("facts");
    String restored = facts.get("Last transaction restored").asText();
    Instant lastCommit = Instant.parse(restored.substring(0, restored.indexOf(' ')));
    assertFalse(lastCommit.isBefore(lastMark), restored + " vs the last mark " + lastMark);
    assertFalse(lastCommit.isAfter(archived), restored + " vs the archive at " + archived);
    assertTrue(restored.contains("(LSN "), restored);
    assertTrue(restored.contains("pg_last_"), restored);
    assertTrue(facts.has("Projected finish at the start"), facts.toString());
    assertFalse(facts.get("Status messages sent").asText().equals("0"), facts.toString());
  }
}
