package io.lifeboat.backup.redis;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away redis-server on a free loopback port over one RDB file, used to prove a stored
 * snapshot loads. It saves nothing (save "", appendonly no) and is killed on close.
 */
public final class ScratchRedis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private ScratchRedis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts it over dir/dbfilename and returns once it answers PING (loading done). */
  public static ScratchRedis start(Path dir, String dbfilename) throws IOException {
    return start(dir, dbfilename, List.of("--appendonly", "no"));
  }

  /**
   * Over an AOF directory ({@code dir/dirName}, its manifest {@code appendfilename.manifest}):
   * started with appendonly yes, so it loads the AOF and nothing else.
   */
  public static ScratchRedis startOnAof(Path dir, String dirName, String appendfilename)
      throws IOException {
    return start(dir, "no-such-dump.rdb", List.of("--appendonly", "yes", "--appenddirname",
        dirName, "--appendfilename", appendfilename, "--aof-load-truncated", "no"));
  }

  private static ScratchRedis start(Path dir, String dbfilename, List<String> persistence)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> argv = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", dbfilename,
        "--save", "", "--daemonize", "no", "--enable-debug-command", "yes",
        "--logfile", dir.resolve("scratch-redis.log").toString()));
    argv.addAll(persistence);
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(dir.resolve("scratch-redis.out").toFile()).start();
    } catch (IOException e) {
      throw FailureKind.REDIS_TOOL_FAILED.failure("cannot start redis-server: " + e.getMessage()
          + " (apt-get install redis-server)");
    }
    ScratchRedis s = new ScratchRedis(p, port, dir);
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        String log = Files.exists(dir.resolve("scratch-redis.log"))
            ? Files.readString(dir.resolve("scratch-redis.log")) : "";
        throw FailureKind.BACKUP_CORRUPT.failure("a scratch redis-server cannot load the"
            + " snapshot: " + RedisCli.lastLine(log));
      }
      RedisCli.Result r = s.cli("PING");
      if (r.out().strip().equals("PONG")) return s;
      sleep(100);
    }
    s.close();
    throw FailureKind.REDIS_TOOL_FAILED.failure("the scratch redis-server did not answer in 120 s");
  }

  public int port() {
    return port;
  }

  public RedisCli.Result cli(String... args) {
    List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
        String.valueOf(port)));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().remove("REDISCLI_AUTH");
    return RedisCli.run(pb, 60);
  }

  public long dbsize() {
    return Long.parseLong(cli("DBSIZE").out().strip());
  }

  /** Up to {@code n} keys (SCAN), each read with TYPE and DUMP; returns how many were read. */
  public int sampleKeys(int n) {
    int read = 0;
    String cursor = "0";
    do {
      String[] lines = cli("SCAN", cursor, "COUNT", "100").out().split("\n");
      cursor = lines[0].strip();
      for (int i = 1; i < lines.length && read < n; i++) {
        String key = lines[i];
        if (key.isEmpty()) continue;
        String type = cli("TYPE", key).out().strip();
        RedisCli.Result dump = cli("--no-raw", "DUMP", key);
        if (type.equals("none") || dump.exit() != 0 || dump.out().startsWith("(error)")) {
          throw FailureKind.BACKUP_CORRUPT.failure("key " + key + " of the snapshot cannot be"
              + " read back: TYPE " + type + ", DUMP " + RedisCli.lastLine(dump.both()));
        }
        read++;
      }
    } while (!cursor.equals("0") && read < n);
    return read;
  }

  /** DEBUG DIGEST: one digest of the whole dataset, every db. */
  public String digest() {
    return cli("DEBUG", "DIGEST").out().strip();
  }

  /** DEBUG DIGEST-VALUE of one key: independent of the order sets and hashes were built in. */
  public String digestValue(String key) {
    return cli("DEBUG", "DIGEST-VALUE", key).out().strip();
  }

  /** Up to {@code n} keys of db 0 (SCAN). */
  public List<String> someKeys(int n) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      String[] lines = cli("SCAN", cursor, "COUNT", "100").out().split("\n");
      cursor = lines[0].strip();
      for (int i = 1; i < lines.length && keys.size() < n; i++) {
        if (!lines[i].isEmpty()) keys.add(lines[i]);
      }
    } while (!cursor.equals("0") && keys.size() < n);
    return keys;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.REDIS_TOOL_FAILED.failure("interrupted");
    }
  }
}
