package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.drill.DrillResult;
import io.lifeboat.drill.ScenarioResult;
import io.lifeboat.run.RunReport;
import io.temporal.client.WorkflowFailedException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The engine drill scenarios (issue 19) on the real stack: a real redis-server on a free port
 * backed up, then {@code drill start monthly --scenario redis} restores the newest backup into
 * a scratch redis-server (the verification's own load: redis-check-rdb, key count, sampled
 * keys), the drill lead approving through the CLI; the report records the scenario with its
 * recovery time against the RTO; production is untouched. One flipped byte in the stored
 * snapshot makes the next drill fail its scenario. A scenario with no sources of its kind is
 * refused before anything starts, one line.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class EngineDrillEndToEndTest {
  private static final String PW = "s3cret pass";
  private RealStack stack;
  private RedisServer redis;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker(env());
    redis = RedisServer.start(stack.dir.resolve("redis-data"), PW, true);
  }

  @AfterEach
  void down() throws Exception {
    if (redis != null) redis.close();
    stack.close();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_REDIS_PW", PW);
    env.put("LIFEBOAT_IT_MARIADB_PW", PW);
    return env;
  }

  /** Starts the drill, approves its start and the scenario's sign-off; its id. */
  private String drill(Path config, String scenario) throws Exception {
    return Drills.startApproved(stack, env(), config, "monthly", scenario, "ana");
  }

  @Test
  void redisDrillRestoresTheNewestBackupIntoAScratchServerAndReportsItsRecoveryTime()
      throws Exception {
    StringBuilder load = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      load.append("SET session:").append(i).append(" user-").append(i * 7).append('\n');
      load.append("HSET tally:").append(i).append(" farm f").append(i % 13)
          .append(" count ").append(i * 3).append('\n');
    }
    load.append("RPUSH queue a b c d\nSADD tags x y z\nZADD board 1 ana 2 ben 3.5 cy\n");
    redis.pipe(load.toString());
    String before = redis.contents();
    Path config = stack.config("enginedrill", root -> {
      root.put("estate", stack.tag);
      root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
      ObjectNode r = root.putArray("redis").addObject();
      r.put("name", "cache").put("address", "127.0.0.1").put("port", redis.port)
          .put("passwordEnv", "LIFEBOAT_IT_REDIS_PW").put("dataDir", redis.dataDir.toString())
          .put("appendonly", true);
    });

    // A scenario of a kind the config has no sources of: refused, nothing started.
    RealStack.Run none = stack.cli(env(), "drill", "start", "monthly", "--scenario",
        "opensearch", "--config", config.toString());
    assertEquals(2, none.exit(), none.out() + none.err());
    assertEquals(1, none.err().strip().lines().count(), none.err());
    assertTrue(none.err().contains("the opensearch scenario needs opensearch: sources"),
        none.err());

    RealStack.Run b = stack.cli(env(), "backup", "redis", "cache", "--wait", "--config",
        config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());

    String id = drill(config, "redis");
    DrillResult result = stack.temporal().client().newUntypedWorkflowStub(id)
        .getResult(5, TimeUnit.MINUTES, DrillResult.class);
    assertEquals("succeeded", result.outcome(), result.toString());
    assertEquals(List.of("redis"), result.scenarios());
    for (RunReport.Criterion c : result.criteria()) assertTrue(c.met(), c.toString());
    ScenarioResult s = result.results().get(0);
    assertEquals(ScenarioResult.OK, s.outcome(), s.toString());
    assertTrue(s.integrity() && s.rtoMet(), s.toString());
    assertTrue(s.machineMillis() > 0, s.toString());
    assertTrue(s.facts().get("cache: restored").startsWith("803 keys in a scratch redis-server"),
        s.facts().toString());
    assertTrue(s.facts().get("cache: restored").contains("RDB looks OK"), s.facts().toString());
    assertEquals(before, redis.contents(), "production untouched");

    RealStack.Run report = stack.cli(env(), "report", id, "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("redis: recovery time"), report.out());
    assertTrue(report.out().contains("sign-off-redis"), report.out());
    assertTrue(report.out().contains("| process adherence | met |"), report.out());

    // One flipped byte in the stored snapshot: the next drill's scenario fails, and so does
    // the drill (after its clean-up, sign-off and report).
    // The snapshot the drill restores (the source runs with AOF, so the backup also holds
    // appendonlydir.tar.zst, which this scenario does not read).
    String victim = stack.keys().stream().filter(k -> k.contains("/redis/cache/")
        && k.endsWith("/" + io.lifeboat.backup.redis.RedisLayout.SNAPSHOT)).findFirst()
        .orElseThrow();
    byte[] stored;
    try (InputStream in = stack.store().get(victim)) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(victim, stored, "application/octet-stream");
    String bad = drill(config, "redis");
    WorkflowFailedException failed = org.junit.jupiter.api.Assertions.assertThrows(
        WorkflowFailedException.class, () -> stack.temporal().client()
            .newUntypedWorkflowStub(bad).getResult(5, TimeUnit.MINUTES, DrillResult.class));
    assertTrue(String.valueOf(failed.getCause()).contains("DRILL_FAILED"),
        String.valueOf(failed.getCause()));
    RealStack.Run badReport = stack.cli(env(), "report", bad, "--config", config.toString());
    assertEquals(0, badReport.exit(), badReport.err());
    assertTrue(badReport.out().contains("redis failed"), badReport.out());
    assertFalse(badReport.out().contains("| data integrity | met |"), badReport.out());
    assertNotEquals("", before);
    assertEquals(before, redis.contents(), "production untouched");
  }

  @Test
  void opensearchDrillRestoresTheNewestBackupIntoScratchIndicesAndRemovesThem() throws Exception {
    try (OpenSearchNode node = OpenSearchNode.start(stack.dir.resolve("opensearch"))) {
      node.ok("PUT", "/tallies", "{\"settings\":{\"number_of_shards\":2}}");
      StringBuilder bulk = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        bulk.append("{\"index\":{\"_index\":\"tallies\",\"_id\":\"t").append(i)
            .append("\"}}\n{\"farm\":\"f").append(i % 20).append("\",\"count\":")
            .append(i * 3).append("}\n");
      }
      for (int i = 0; i < 20; i++) {
        bulk.append("{\"index\":{\"_index\":\"farms\",\"_id\":\"f").append(i)
            .append("\"}}\n{\"name\":\"Farm ").append(i).append("\"}\n");
      }
      assertFalse(node.ok("POST", "/_bulk?refresh=true", bulk.toString()).path("errors")
          .asBoolean(), "bulk load");
      String tallies = node.documents("tallies");
      Path config = stack.config("searchdrill", root -> {
        root.put("estate", stack.tag);
        root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
        root.putArray("opensearch").addObject().put("name", "search").put("url", node.url())
            .put("snapshotDir", node.repoRoot.resolve("lifeboat").toString());
      });
      RealStack.Run b = stack.cli(env(), "backup", "opensearch", "search", "--wait",
          "--config", config.toString());
      assertEquals(0, b.exit(), b.out() + b.err());

      String id = drill(config, "opensearch");
      DrillResult result = stack.temporal().client().newUntypedWorkflowStub(id)
          .getResult(5, TimeUnit.MINUTES, DrillResult.class);
      assertEquals("succeeded", result.outcome(), result.toString());
      for (RunReport.Criterion c : result.criteria()) assertTrue(c.met(), c.toString());
      ScenarioResult s = result.results().get(0);
      assertEquals("opensearch", s.scenario());
      assertTrue(s.integrity() && s.rtoMet(), s.toString());
      assertTrue(s.facts().get("search: restored").startsWith(
          "{farms=20, tallies=300} documents in scratch indices"), s.facts().toString());
      // The scratch indices, repository and files are gone; production untouched.
      assertEquals(List.of("farms", "tallies"), node.indices());
      assertEquals(1, node.ok("GET", "/_snapshot", null).size(), "only Lifeboat's repository");
      try (var left = java.nio.file.Files.list(node.repoRoot.resolve("lifeboat-scratch"))) {
        assertEquals(0, left.count(), "the scratch files are removed");
      }
      assertEquals(tallies, node.documents("tallies"));
      RealStack.Run report = stack.cli(env(), "report", id, "--config", config.toString());
      assertEquals(0, report.exit(), report.err());
      assertTrue(report.out().contains("opensearch: recovery time"), report.out());
    }
  }

  @Test
  void mariadbDrillRestoresTheNewestDumpIntoAScratchServerWithEqualChecksums() throws Exception {
    try (MariaDbServer db = MariaDbServer.start(PW)) {
      db.sql("CREATE DATABASE billing; USE billing;"
          + " CREATE TABLE invoice (id INT PRIMARY KEY, farm VARCHAR(40), amount INT);"
          + " INSERT INTO invoice SELECT seq, CONCAT('farm-', seq % 17), seq * 13"
          + " FROM seq_1_to_500;"
          + " CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, what VARCHAR(20));"
          + " INSERT INTO audit (what) VALUES ('created'), ('paid');");
      String before = db.dump("billing");
      Path config = stack.config("mariadrill", root -> {
        root.put("estate", stack.tag);
        root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
        root.putArray("mariadb").addObject().put("name", "billing").put("address", "127.0.0.1")
            .put("port", db.port).put("user", db.user)
            .put("passwordEnv", "LIFEBOAT_IT_MARIADB_PW").putArray("databases").add("billing");
      });
      Map<String, String> env = env();
      RealStack.Run b = stack.cli(env, "backup", "mariadb", "billing", "--wait", "--config",
          config.toString());
      assertEquals(0, b.exit(), b.out() + b.err());

      String id = drill(config, "mariadb");
      DrillResult result = stack.temporal().client().newUntypedWorkflowStub(id)
          .getResult(5, TimeUnit.MINUTES, DrillResult.class);
      assertEquals("succeeded", result.outcome(), result.toString());
      for (RunReport.Criterion c : result.criteria()) assertTrue(c.met(), c.toString());
      ScenarioResult s = result.results().get(0);
      assertTrue(s.integrity() && s.rtoMet(), s.toString());
      assertTrue(s.facts().get("billing: restored").startsWith("2 tables into a scratch mariadbd")
          && s.facts().get("billing: restored").contains("2 with CHECKSUM TABLE equal"),
          s.facts().toString());
      assertEquals(before, db.dump("billing"), "production untouched");
      RealStack.Run report = stack.cli(env, "report", id, "--config", config.toString());
      assertEquals(0, report.exit(), report.err());
      assertTrue(report.out().contains("mariadb: recovery time"), report.out());
    }
  }
}
