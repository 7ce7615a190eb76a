package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.redis.RedisAofStore;
import io.lifeboat.backup.redis.RedisAofVerifyRequest;
import io.lifeboat.backup.redis.RedisManifest;
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
 * The AOF round trip of a Redis backup (issue 19) against a real redis-server with appendonly
 * yes: the backup stores the RDB and the AOF directory (a base written by a rewrite and an incr
 * file after it); recovery with --from-aof puts the AOF directory back and starts with
 * appendonly yes: every key equals the source at backup time; one flipped byte in the stored
 * AOF fails its verification.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RedisAofEndToEndTest {
  private RealStack stack;
  private RedisServer redis;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_REDIS_PW", "aof pass");
    stack.startWorker(env);
    redis = RedisServer.start(stack.dir.resolve("redis-aof-data"), "aof pass", true);
  }

  @AfterEach
  void down() throws Exception {
    if (redis != null) redis.close();
    stack.close();
  }

  private Map<String, String> cliEnv() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_IT_REDIS_PW", "aof pass");
    return env;
  }

  private static String load(int from, int to) {
    StringBuilder load = new StringBuilder();
    for (int i = from; i < to; i++) {
      load.append("SET session:").append(i).append(" user-").append(i * 7).append('\n');
      load.append("HSET tally:").append(i).append(" farm f").append(i % 13)
          .append(" count ").append(i * 3).append('\n');
      load.append("SADD tags:").append(i % 17).append(" t").append(i).append('\n');
    }
    return load.toString();
  }

  @Test
  void backupStoresTheAofAndFromAofRecoveryEqualsTheSource() throws Exception {
    // Half the keys go into the base file of a rewrite, the rest into the incr file after it.
    redis.pipe(load(0, 200));
    redis.cli("BGREWRITEAOF");
    long deadline = System.currentTimeMillis() + 120_000;
    while (!redis.cli("INFO", "persistence").contains("aof_rewrite_in_progress:0")
        || redis.cli("INFO", "persistence").contains("aof_rewrite_scheduled:1")) {
      assertTrue(System.currentTimeMillis() < deadline, "the rewrite did not finish");
      Thread.sleep(50);
    }
    redis.pipe(load(200, 400) + "RPUSH queue a b c d\nZADD board 1 ana 2 ben 3.5 cy\n"
        + "DEL session:3\nINCRBY counter 41\nINCR counter\n");
    String before = redis.contents();
    long keys = Long.parseLong(redis.cli("DBSIZE").strip());

    Path config = stack.config("redis-aof", root -> {
      ObjectNode r = root.putArray("redis").addObject();
      r.put("name", "cache").put("address", "127.0.0.1").put("port", redis.port)
          .put("passwordEnv", "LIFEBOAT_IT_REDIS_PW").put("dataDir", redis.dataDir.toString())
          .put("appendonly", true);
    });
    RealStack.Run b = stack.cli(cliEnv(), "backup", "redis", "cache", "--wait", "--config",
        config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());

    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/redis/cache/") && k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    RedisManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = io.lifeboat.backup.dump.Manifests.JSON.readValue(in, RedisManifest.class);
    }
    assertNotNull(m.aof(), "the manifest lists the AOF artifact");
    assertTrue(stack.keys().contains(m.objectKey()) && stack.keys().contains(m.aof().objectKey()),
        "both artifacts landed: " + stack.keys());
    assertEquals(keys, m.keys());
    assertEquals(keys, m.aof().keys());
    assertEquals("appendonlydir", m.aof().dirName());
    assertEquals(List.of("appendonly.aof.manifest", "appendonly.aof.2.base.rdb",
        "appendonly.aof.2.incr.aof"), m.aof().files());
    assertTrue(m.aof().storedBytes() > 0 && m.aof().sha256().matches("[0-9a-f]{64}"));
    assertTrue(m.aof().verification().contains("16 sampled keys equal to the RDB's")
        && m.aof().verification().contains("dataset digest equal"), m.aof().verification());

    // The data changes after the backup: flushed, one new key.
    redis.cli("FLUSHALL");
    redis.cli("SET", "after", "backup");
    assertNotEquals(before, redis.contents());

    RealStack.Run r = stack.cli(cliEnv(), "recover", "redis", "cache", "--from-aof", "--wait",
        "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("loaded from its AOF"), r.out());
    assertEquals(before, redis.contents(), "restored from the AOF equals the source, key by key");
    assertTrue(redis.cli("CONFIG", "GET", "appendonly").contains("yes"));
    try (var files = Files.list(redis.dataDir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("appendonlydir.before-")),
          names.toString());
      assertTrue(names.stream().noneMatch(n -> n.contains(".lifeboat-")), names.toString());
    }

    // One flipped byte in the stored AOF: its verification fails.
    byte[] stored;
    try (InputStream in = stack.store().get(m.aof().objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(m.aof().objectKey(), stored, "application/octet-stream");
    RedisAofVerifyRequest verify = new RedisAofVerifyRequest(stack.base.repository(),
        m.aof().objectKey(), m.aof().sha256(), m.aof().storedBytes(), m.aof().dirName(),
        m.objectKey(), keys, keys, true);
    ApplicationFailure bad = assertThrows(ApplicationFailure.class,
        () -> RedisAofStore.verify(stack.store(), stack.cipher(), verify, () -> { }));
    assertTrue(bad.getType().endsWith("BACKUP_CORRUPT"), bad.getType() + ": " + bad.getMessage());
  }
}
