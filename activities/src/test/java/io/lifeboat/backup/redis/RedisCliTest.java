package io.lifeboat.backup.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RedisConfig;
import org.junit.jupiter.api.Test;

/** INFO parsing and the one-line classification of redis-cli's own words. */
class RedisCliTest {
  private static final RedisConfig CACHE =
      new RedisConfig("cache", null, null, 6390, "REDIS_PW", null, null, null);

  @Test
  void keysAreSummedOverEveryDatabase() {
    String info = "# Server\r\nredis_version:7.0.15\r\nused_memory:1048576\r\n# Keyspace\r\n"
        + "db0:keys=803,expires=2,avg_ttl=0\r\ndb3:keys=7,expires=0,avg_ttl=0\r\n";
    assertEquals(810, RedisCli.keys(info));
    assertEquals("7.0.15", RedisCli.infoField(info, "redis_version"));
    assertEquals("1048576", RedisCli.infoField(info, "used_memory"));
    assertEquals(0, RedisCli.keys("# Keyspace\r\n"));
  }

  @Test
  void downAndWrongPasswordAreTheirOwnKinds() {
    var down = RedisCli.classify(CACHE, "PING",
        "Could not connect to Redis at 127.0.0.1:6390: Connection refused");
    assertEquals("Lifeboat.REDIS_UNAVAILABLE", down.getType());
    assertTrue(down.getOriginalMessage().contains("redis cache at 127.0.0.1:6390 does not answer"));
    var auth = RedisCli.classify(CACHE, "PING",
        "AUTH failed: WRONGPASS invalid username-password pair or user is disabled.");
    assertEquals("Lifeboat.REDIS_AUTH_FAILED", auth.getType());
    assertTrue(auth.getOriginalMessage().contains("$REDIS_PW"));
    assertEquals("Lifeboat.REDIS_TOOL_FAILED",
        RedisCli.classify(CACHE, "--rdb", "ERR something else").getType());
  }
}
