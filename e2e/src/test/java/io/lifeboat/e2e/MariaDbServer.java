package io.lifeboat.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private mariadbd for a test: a free loopback port, its own data, binlog and run directories
 * under a temp dir the mysql user can reach (mariadbd refuses root: it runs as mysql), a user
 * with a password. Stopped by its process handle, never by name.
 */
final class MariaDbServer implements AutoCloseable {
  final int port;
  final Path dir;
  final String user = "lifeboat";
  final String password;
  private final Process process;

  private MariaDbServer(int port, Path dir, String password, Process process) {
    this.port = port;
    this.dir = dir;
    this.password = password;
    this.process = process;
  }

  static MariaDbServer start(String password) throws Exception {
    Path dir = Files.createTempDirectory("lifeboat-it-mariadb");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> owned = new ArrayList<>();
    for (String d : List.of("data", "binlog", "run")) {
      Files.createDirectories(dir.resolve(d));
      owned.add(dir.resolve(d).toString());
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      List<String> chown = new ArrayList<>(List.of("chown", "mysql:mysql"));
      chown.addAll(owned);
      exec(dir, chown);
    }
    List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
        "--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal",
        "--skip-test-db"));
    if (root) install.add("--user=mysql");
    exec(dir, install);
    int port = RedisServer.freePort();
    // The settings in an option file, so a recovery can start the server again the same way
    // (mariadb[].defaultsFile); the binlogs live outside the data directory.
    Files.writeString(dir.resolve("my.cnf"), String.join("\n", "[mariadbd]",
        "datadir=" + dir.resolve("data"), "port=" + port, "bind-address=127.0.0.1",
        "socket=" + dir.resolve("run/mariadb.sock"), "pid-file=" + dir.resolve("run/mariadb.pid"),
        "log-error=" + dir.resolve("run/error.log"),
        "log-bin=" + dir.resolve("binlog/mysql-bin"), "server-id=1", "binlog-format=ROW",
        "innodb-buffer-pool-size=64M", ""));
    List<String> argv = new ArrayList<>(List.of("mariadbd",
        "--defaults-file=" + dir.resolve("my.cnf")));
    if (root) argv.add("--user=mysql");
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    MariaDbServer s = new MariaDbServer(port, dir, password, p);
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        s.rootSql("SELECT 1");
        break;
      } catch (IllegalStateException e) {
        if (System.currentTimeMillis() > deadline || !p.isAlive()) {
          s.close();
          throw e;
        }
        Thread.sleep(100);
      }
    }
    s.rootSql("CREATE USER 'lifeboat'@'%' IDENTIFIED BY '" + password + "';"
        + " GRANT ALL PRIVILEGES ON *.* TO 'lifeboat'@'%';");
    return s;
  }

  private static void exec(Path dir, List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(argv.get(0) + " failed: " + out);
    }
  }

  private String client(String tool, String user, String pw, String stdin, String... args)
      throws Exception {
    List<String> argv = new ArrayList<>(List.of(tool, "--no-defaults", "--protocol=TCP", "-h",
        "127.0.0.1", "-P", String.valueOf(port), "-u", user));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().remove("MYSQL_PWD");
    if (pw != null) pb.environment().put("MYSQL_PWD", pw);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    var err = new java.io.ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException ignored) {
        // ended
      }
    });
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(300, TimeUnit.SECONDS);
    drain.join();
    if (p.exitValue() != 0) throw new IllegalStateException(tool + ": " + err);
    return out;
  }

  String rootSql(String sql) throws Exception {
    return client("mariadb", "root", null, null, "--batch", "--skip-column-names", "-e", sql);
  }

  /** SQL as the test's user, statements on stdin. */
  String sql(String sql) throws Exception {
    return client("mariadb", user, password, sql, "--batch", "--skip-column-names");
  }

  /** A deterministic dump of the databases: no dates, no binlog position, no server comments. */
  String dump(String... databases) throws Exception {
    List<String> args = new ArrayList<>(List.of("--skip-dump-date", "--skip-comments",
        "--routines", "--events", "--triggers", "--databases"));
    args.addAll(List.of(databases));
    return client("mariadb-dump", user, password, null, args.toArray(String[]::new));
  }

  /** The server's data directory (what mariadb[].dataDir names). */
  Path dataDir() {
    return dir.resolve("data");
  }

  /** The option file the server was started with (mariadb[].defaultsFile). */
  Path defaultsFile() {
    return dir.resolve("my.cnf");
  }

  @Override
  public void close() throws Exception {
    long first = process.pid();
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    // A recovery may have started the server again (another process): stopped by its pid.
    Path pidFile = dir.resolve("run/mariadb.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      var h = ProcessHandle.of(pid);
      if (pid != first && h.isPresent() && h.get().info().command().orElse("").contains("mariadbd")) {
        h.get().destroyForcibly();
        h.get().onExit().get(60, TimeUnit.SECONDS);
      }
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
