package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.redis.RedisBackupActivitiesImpl;
import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.backup.redis.RedisVerifyRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Redis against a real redis-server (issue 19): keys written, backed up, flushed and changed,
 * recovered, compared key by key; AOF on again after the restore; one flipped byte in storage
 * fails verification and the recovery, before the server is touched; server down and wrong
 * password are one line each.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RedisEndToEndTest {
  private RealStack stack;
  private RedisServer redis;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_REDIS_PW", "s3cret pass");
    env.put("LIFEBOAT_IT_REDIS_BADPW", "wrong");
    stack.startWorker(env);
    redis = RedisServer.start(stack.dir.resolve("redis-data"), "s3cret pass", true);
  }

  @AfterEach
  void down() throws Exception {
    if (redis != null) redis.close();
    stack.close();
  }

  private Path config(String name, int port, String passwordEnv) throws Exception {
    return stack.config(name, root -> {
      ObjectNode r = root.putArray("redis").addObject();
      r.put("name", "cache").put("address", "127.0.0.1").put("port", port)
          .put("passwordEnv", passwordEnv).put("dataDir", redis.dataDir.toString())
          .put("appendonly", true);
    });
  }

  private Map<String, String> cliEnv() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_REDIS_PW", "s3cret pass");
    return env;
  }

  @Test
  void backupRecoverEqualsSourceKeyByKeyAndAFlippedByteFailsVerification() throws Exception {
    StringBuilder load = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      load.append("SET session:").append(i).append(" user-").append(i * 7).append('\n');
      load.append("HSET tally:").append(i).append(" farm f").append(i % 13)
          .append(" count ").append(i * 3).append('\n');
    }
    load.append("RPUSH queue a b c d\nSADD tags x y z\nZADD board 1 ana 2 ben 3.5 cy\n");
    redis.pipe(load.toString());
    String before = redis.contents();
    assertEquals("803", redis.cli("DBSIZE").strip());

    Path config = config("redis", redis.port, "LIFEBOAT_IT_REDIS_PW");
    RealStack.Run b = stack.cli(cliEnv(), "backup", "redis", "cache", "--wait", "--config",
        config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertTrue(b.out().contains("is committed"), b.out());
    assertTrue(b.out().contains("RDB looks OK"), b.out());

    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/redis/cache/") && k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    RedisManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = io.lifeboat.backup.dump.Manifests.JSON.readValue(in, RedisManifest.class);
    }
    assertEquals(803, m.keys());
    assertTrue(m.usedMemory() > 0);
    assertTrue(m.encryption() != null || stack.base.repository().encryption() == null);

    RealStack.Run list = stack.cli(cliEnv(), "backups", "list", "--redis", "cache", "--config",
        config.toString());
    assertTrue(list.out().contains(m.backupId()) && list.out().contains("803"), list.out());

    // The repository check judges the Redis source: fresh, with the newest backup's size; a
    // kind the config does not name is skipped, not failed.
    RealStack.Run check = stack.cli(cliEnv(), "check", "--kind", "redis", "--json", "--config",
        config.toString());
    assertEquals(0, check.exit(), check.out() + check.err());
    var checked = io.lifeboat.backup.dump.Manifests.JSON.readTree(check.out()).get("sources");
    assertEquals(1, checked.size(), check.out());
    assertEquals("cache", checked.get(0).get("source").asText());
    assertEquals("redis", checked.get(0).get("kind").asText());
    assertTrue(checked.get(0).get("fresh").asBoolean(), check.out());
    assertEquals(m.backupId(), checked.get(0).get("newestBackupId").asText());
    assertEquals(m.storedBytes(), checked.get(0).get("newestBytes").asLong(), check.out());
    RealStack.Run skipped = stack.cli(cliEnv(), "check", "--kind", "mariadb", "--config",
        config.toString());
    assertEquals(0, skipped.exit(), skipped.out() + skipped.err());
    assertTrue(skipped.out().contains("skipped: the config names no mariadb source"),
        skipped.out());

    // The data changes: flushed, one new key.
    redis.cli("FLUSHALL");
    redis.cli("SET", "after", "backup");
    assertNotEquals(before, redis.contents());

    RealStack.Run r = stack.cli(cliEnv(), "recover", "redis", "cache", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("803 keys"), r.out());
    assertEquals(before, redis.contents(), "restored equals the source, key by key");
    // Timed against the RTO and reported like a database recovery (issue 19).
    java.util.regex.Matcher reportLine = java.util.regex.Pattern
        .compile("report: lifeboat report (\\S+)").matcher(r.out());
    assertTrue(reportLine.find(), r.out());
    RealStack.Run report = stack.cli(cliEnv(), "report", reportLine.group(1), "--config",
        config.toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains("Redis recovery: cache") && report.out().contains("803 (manifest: 803)")
        && report.out().contains("swap-and-start"), report.out());
    // AOF is on again, and the files the restore replaced are kept.
    assertTrue(redis.cli("CONFIG", "GET", "appendonly").contains("yes"));
    try (var files = Files.list(redis.dataDir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("appendonlydir.before-")), names.toString());
    }

    // One flipped byte in storage: verification fails, and a recovery refuses before it stops
    // the server.
    byte[] stored;
    try (InputStream in = stack.store().get(m.objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), stored, "application/octet-stream");
    ApplicationFailure bad = assertThrows(ApplicationFailure.class,
        () -> RedisBackupActivitiesImpl.verify(stack.store(), stack.cipher(),
            new RedisVerifyRequest(stack.base.repository(), m.objectKey(), m.sha256(),
                m.storedBytes(), m.keys(), m.keys()), () -> { }));
    assertTrue(bad.getType().endsWith("BACKUP_CORRUPT"), bad.getType() + ": " + bad.getMessage());

    redis.cli("SET", "untouched", "yes");
    RealStack.Run refused = stack.cli(cliEnv(), "recover", "redis", "cache", "--wait",
        "--config", config.toString());
    assertNotEquals(0, refused.exit(), refused.out());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("stored snapshot"), refused.err());
    assertEquals("yes", redis.cli("GET", "untouched").strip(), "the server was not touched");
  }

  @Test
  void serverDownAndWrongPasswordAreOneLineEach() throws Exception {
    Path down = config("down", RedisServer.freePort(), "LIFEBOAT_IT_REDIS_PW");
    RealStack.Run d = stack.cli(cliEnv(), "backup", "redis", "cache", "--wait", "--config",
        down.toString());
    assertNotEquals(0, d.exit());
    assertEquals(1, d.err().strip().lines().count(), d.err());
    assertTrue(d.err().contains("does not answer"), d.err());

    Path wrong = config("wrong", redis.port, "LIFEBOAT_IT_REDIS_BADPW");
    RealStack.Run w = stack.cli(cliEnv(), "backup", "redis", "cache", "--wait", "--config",
        wrong.toString());
    assertNotEquals(0, w.exit());
    assertEquals(1, w.err().strip().lines().count(), w.err());
    assertTrue(w.err().contains("refused the password"), w.err());

    RealStack.Run u = stack.cli(cliEnv(), "backup", "redis", "nope", "--config",
        wrong.toString());
    assertEquals(2, u.exit(), u.err());
    assertTrue(u.err().contains("unknown redis 'nope'"), u.err());
  }
}
