package io.lifeboat.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server for a test: a free loopback port, its own data directory, a password;
 * started daemonized with a pid file, so a server Lifeboat restarted there is stopped the same
 * way (by the pid file, never by name).
 */
final class RedisServer implements AutoCloseable {
  final int port;
  final Path dataDir;
  final String password;

  private RedisServer(int port, Path dataDir, String password) {
    this.port = port;
    this.dataDir = dataDir;
    this.password = password;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static RedisServer start(Path dataDir, String password, boolean appendonly) throws Exception {
    Files.createDirectories(dataDir);
    RedisServer r = new RedisServer(freePort(), dataDir, password);
    Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(r.port), "--bind",
        "127.0.0.1", "--dir", dataDir.toString(), "--dbfilename", "dump.rdb", "--save", "",
        "--appendonly", appendonly ? "yes" : "no", "--daemonize", "yes",
        // Redis 7 waits this long (5 s by default) for more replicas before a diskless
        // transfer, which is what redis-cli --rdb asks for: the test has no time to lose.
        "--repl-diskless-sync-delay", "0",
        "--pidfile", dataDir.resolve("redis.pid").toString(),
        "--logfile", dataDir.resolve("redis.log").toString(), "-")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (var in = p.getOutputStream()) {
      in.write(("requirepass \"" + password + "\"\n").getBytes(StandardCharsets.UTF_8));
    }
    p.waitFor(30, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 20_000;
    while (!r.cli("PING").strip().equals("PONG")) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("redis down");
      Thread.sleep(50);
    }
    return r;
  }

  /** Commands, one a line, through one redis-cli; its whole output. */
  String pipe(String commands) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("redis-cli", "--no-auth-warning", "-h", "127.0.0.1",
        "-p", String.valueOf(port));
    pb.environment().put("REDISCLI_AUTH", password);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    Thread feed = new Thread(() -> {
      try (var in = p.getOutputStream()) {
        in.write(commands.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // ended
      }
    });
    feed.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  String cli(String... args) throws Exception {
    return pipe(String.join(" ", args) + "\n");
  }

  /** Every key (sorted) with its type and its whole value, in one text. */
  String contents() throws Exception {
    List<String> keys = pipe("KEYS *\n").lines().filter(l -> !l.isBlank()).sorted().toList();
    StringBuilder typeCmds = new StringBuilder();
    for (String k : keys) typeCmds.append("TYPE ").append(k).append('\n');
    List<String> types = pipe(typeCmds.toString()).lines().toList();
    StringBuilder cmds = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      String type = types.get(i).strip();
      cmds.append("ECHO ").append(k).append(' ').append(type).append('\n');
      switch (type) {
        case "string" -> cmds.append("GET ").append(k).append('\n');
        case "hash" -> cmds.append("HGETALL ").append(k).append('\n');
        case "list" -> cmds.append("LRANGE ").append(k).append(" 0 -1\n");
        case "set" -> cmds.append("SORT ").append(k).append(" ALPHA\n");
        case "zset" -> cmds.append("ZRANGE ").append(k).append(" 0 -1 WITHSCORES\n");
        default -> throw new IllegalStateException(k + " has type " + type);
      }
    }
    return pipe(cmds.toString());
  }

  @Override
  public void close() throws Exception {
    Path pid = dataDir.resolve("redis.pid");
    if (Files.exists(pid)) {
      long id = Long.parseLong(Files.readString(pid).strip());
      ProcessHandle.of(id).ifPresent(h -> {
        h.destroyForcibly();
        h.onExit().join();
      });
    }
  }
}
