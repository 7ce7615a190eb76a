package io.lifeboat.backup.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consistent copy of a multi-part AOF, with the real redis-check-aof. */
class RedisAofCopyTest {
  @TempDir Path tmp;

  private static String set(String k, String v) {
    return "*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$" + v.length() + "\r\n" + v
        + "\r\n";
  }

  private Path aofDir() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data/appendonlydir"));
    Files.writeString(dir.resolve("appendonly.aof.manifest"),
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
    Files.writeString(dir.resolve("appendonly.aof.1.base.aof"), set("a", "1") + set("b", "2"));
    Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), set("c", "3"));
    return dir;
  }

  @Test
  void aCutLastCommandIsFixedInTheCopyAndReported() throws Exception {
    Path dir = aofDir();
    Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), "*3\r\n$3\r\nSET\r\n$1\r\nd",
        StandardOpenOption.APPEND);
    RedisAof.Copy c = RedisAof.copy(dir, "appendonly.aof.manifest",
        tmp.resolve("copy/appendonlydir"), () -> { });
    assertEquals(1, c.attempts());
    assertNotNull(c.fixed());
    assertTrue(c.fixed().contains("cut 18 bytes"), c.fixed());
    assertEquals(set("c", "3"), Files.readString(c.dir().resolve("appendonly.aof.1.incr.aof")));
    assertEquals(List.of("appendonly.aof.manifest", "appendonly.aof.1.base.aof",
        "appendonly.aof.1.incr.aof"), c.files());
    assertTrue(Files.readString(dir.resolve("appendonly.aof.1.incr.aof")).endsWith("d"),
        "the server's own file is not touched");
  }

  @Test
  void writesAfterTheSizesWereTakenStayOutAndARewriteMeanwhileCopiesAgain() throws Exception {
    Path dir = aofDir();
    AtomicInteger beats = new AtomicInteger();
    RedisAof.Copy c = RedisAof.copy(dir, "appendonly.aof.manifest",
        tmp.resolve("copy/appendonlydir"), () -> {
          try {
            if (beats.incrementAndGet() == 1) {
              // A write lands in the incr file during the first copy...
              Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), set("late", "x"),
                  StandardOpenOption.APPEND);
              // ...and a rewrite replaces the files: the manifest names new ones.
              Files.writeString(dir.resolve("appendonly.aof.2.base.aof"), set("a", "1")
                  + set("b", "2") + set("c", "3") + set("late", "x"));
              Files.writeString(dir.resolve("appendonly.aof.2.incr.aof"), set("e", "5"));
              Files.writeString(dir.resolve("appendonly.aof.manifest"),
                  "file appendonly.aof.2.base.aof seq 2 type b\n"
                      + "file appendonly.aof.2.incr.aof seq 2 type i\n");
            } else if (beats.get() == 3) {
              Files.writeString(dir.resolve("appendonly.aof.2.incr.aof"), set("f", "6"),
                  StandardOpenOption.APPEND);
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    assertEquals(2, c.attempts());
    assertNull(c.fixed());
    assertEquals(List.of("appendonly.aof.manifest", "appendonly.aof.2.base.aof",
        "appendonly.aof.2.incr.aof"), c.files());
    assertEquals(set("e", "5"), Files.readString(c.dir().resolve("appendonly.aof.2.incr.aof"),
        StandardCharsets.UTF_8), "the incr file up to the size taken before copying");
    assertTrue(Files.notExists(c.dir().resolve("appendonly.aof.1.incr.aof")));
  }
}
