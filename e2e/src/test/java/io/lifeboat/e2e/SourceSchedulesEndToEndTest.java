package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `schedules apply` for a source that is not PostgreSQL (issue 19), on the real dev server and
 * a real MariaDB: the nightly backup becomes a schedule that, fired as an operator would from
 * the web UI, commits a backup; the continuous binlog archiver of a `binlogArchive: true`
 * source is started once, said "already running" on the next apply, and listed as running.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class SourceSchedulesEndToEndTest {
  private static final String PW = "schedule pass";
  private RealStack stack;
  private MariaDbServer db;
  private Path config;
  private final List<String> scheduleIds = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker(env());
    db = MariaDbServer.start(PW);
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
    if (config != null) {
      stack.cli(env(), "backup", "mariadb-binlogs", "billing", "--stop", "--config",
          config.toString());
    }
    if (db != null) db.close();
    stack.close();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_MARIADB_PW", PW);
    return env;
  }

  @Test
  void applySchedulesTheBackupAndKeepsTheArchiverRunning() throws Exception {
    db.sql("CREATE DATABASE billing; USE billing; CREATE TABLE ev (id INT PRIMARY KEY"
        + " AUTO_INCREMENT, n INT); INSERT INTO ev (n) VALUES (1), (2), (3);");
    config = stack.config("source-schedules", root -> {
      root.put("estate", stack.tag); // schedule ids name the estate: this test's own
      ObjectNode m = root.putArray("mariadb").addObject();
      m.put("name", "billing").put("port", db.port).put("user", "lifeboat")
          .put("passwordEnv", "LIFEBOAT_IT_MARIADB_PW").put("binlogArchiveSeconds", 5)
          .put("backupSchedule", "45 1 * * *").put("binlogArchive", true);
      m.putArray("databases").add("billing");
    });
    String schedule = "backup-mariadb-" + stack.tag + "-billing";
    String archiver = "archive-binlogs-mariadb-" + stack.tag + "-billing";

    RealStack.Run apply = stack.cli(env(), "schedules", "apply", "--config", config.toString());
    // Whatever apply made is this test's to delete, also when an assertion below fails.
    RealStack.Run list = stack.cli(env(), "schedules", "list", "--json", "--config",
        config.toString());
    JsonNode rows = new ObjectMapper().readTree(list.out());
    rows.forEach(r -> {
      if (!r.has("running")) scheduleIds.add(r.get("id").asText());
    });
    assertEquals(0, apply.exit(), apply.out() + apply.err());
    assertTrue(apply.out().contains("created schedule " + schedule + ": '45 1 * * *'"),
        apply.out());
    assertTrue(apply.out().contains("binlog archiving of mariadb billing started: a pass every"
        + " 5 s (" + archiver + ")"), apply.out());

    RealStack.Run again = stack.cli(env(), "schedules", "apply", "--config", config.toString());
    assertEquals(0, again.exit(), again.out() + again.err());
    assertTrue(again.out().contains("updated schedule " + schedule), again.out());
    assertTrue(again.out().contains("binlog archiving of mariadb billing is already running ("
        + archiver + ")"), again.out());

    assertEquals(0, list.exit(), list.err());
    assertTrue(scheduleIds.contains(schedule), list.out());
    List<String> next = AppSchedulesEndToEndTest.nextRuns(rows, schedule);
    assertTrue(!next.isEmpty() && next.stream().allMatch(t -> t.endsWith("T01:45:00Z")),
        list.out());
    JsonNode archiverRow = null;
    for (JsonNode r : rows) {
      if (r.get("id").asText().equals(archiver)) archiverRow = r;
    }
    assertTrue(archiverRow != null && archiverRow.get("running").asBoolean(), list.out());

    // Fired as an operator would from the web UI: a MariaDB backup is committed.
    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id", schedule,
        "--address", stack.base.temporal().address(), "--namespace",
        stack.base.temporal().namespace());
    String prefix = stack.prefix + "/mariadb/billing/";
    boolean committed = false;
    for (int i = 0; i < 240 && !committed; i++) {
      committed = stack.keys().stream().anyMatch(k -> k.startsWith(prefix)
          && !k.contains("/binlog/") && k.endsWith("manifest.json"));
      if (!committed) Thread.sleep(500);
    }
    assertTrue(committed, "the triggered schedule committed a mariadb backup: " + stack.keys());
  }
}
