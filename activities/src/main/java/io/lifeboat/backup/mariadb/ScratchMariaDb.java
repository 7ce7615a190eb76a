package io.lifeboat.backup.mariadb;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away mariadbd on a free loopback port with its own data directory, used to prove a
 * stored dump restores. mariadbd refuses to run as root: when the worker is root, the server
 * runs as the mysql user and its directories belong to it. No binlog; killed on close.
 */
public final class ScratchMariaDb implements AutoCloseable {
  private final Process process;
  public final int port;
  private final Path dir;

  private ScratchMariaDb(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Initializes dir/data and starts the server; returns once it answers. */
  public static ScratchMariaDb start(Path dir, Runnable beat) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path run = Files.createDirectories(dir.resolve("run"));
    List<String> owner = new ArrayList<>();
    if (root()) {
      owner = List.of("--user=mysql");
      MariaDbClient.Result chown = MariaDbClient.run(new ProcessBuilder("chown", "mysql:mysql",
          data.toString(), run.toString()), 60);
      if (chown.exit() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot hand the scratch directory to the"
            + " mysql user: " + MariaDbClient.lastLine(chown.both()));
      }
    }
    List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
        "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
    install.addAll(owner);
    MariaDbClient.Result ini = MariaDbClient.run(new ProcessBuilder(install).directory(
        dir.toFile()), 600);
    if (ini.exit() != 0) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadb-install-db failed for the scratch"
          + " server: " + MariaDbClient.lastLine(ini.both()) + " (apt-get install mariadb-server)");
    }
    return launch(dir, data, run, owner, List.of(), beat);
  }

  /**
   * Starts a scratch server on a data directory already in place (a prepared mariadb-backup
   * copy): handed to the mysql user when the worker is root, and started with
   * --skip-grant-tables, since its accounts and passwords are the source's.
   */
  public static ScratchMariaDb startOn(Path dir, Path data, Runnable beat) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path run = Files.createDirectories(dir.resolve("run"));
    List<String> owner = new ArrayList<>();
    if (root()) {
      owner = List.of("--user=mysql");
      MariaDbClient.Result chown = MariaDbClient.run(new ProcessBuilder("chown", "-R",
          "mysql:mysql", data.toString(), run.toString()), 600);
      if (chown.exit() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot hand the scratch directory to the"
            + " mysql user: " + MariaDbClient.lastLine(chown.both()));
      }
    }
    return launch(dir, data, run, owner, List.of("--skip-grant-tables"), beat);
  }

  private static ScratchMariaDb launch(Path dir, Path data, Path run, List<String> owner,
      List<String> extra, Runnable beat) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> argv = new ArrayList<>(List.of("mariadbd", "--no-defaults"));
    argv.addAll(owner);
    argv.addAll(List.of("--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
        "--socket=" + run.resolve("mariadb.sock"), "--pid-file=" + run.resolve("mariadb.pid"),
        "--log-error=" + run.resolve("error.log"), "--skip-log-bin",
        "--innodb-buffer-pool-size=64M", "--event-scheduler=OFF"));
    argv.addAll(extra);
    Process p;
    try {
      p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot start mariadbd: " + e.getMessage()
          + " (apt-get install mariadb-server)");
    }
    ScratchMariaDb s = new ScratchMariaDb(p, port, dir);
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        Path log = run.resolve("error.log");
        throw FailureKind.MARIADB_TOOL_FAILED.failure("the scratch mariadbd stopped: "
            + (Files.isReadable(log) ? MariaDbClient.lastLine(Files.readString(log)) : ""));
      }
      if (s.sql("SELECT 1").exit() == 0) return s;
      beat.run();
      sleep(100);
    }
    s.close();
    throw FailureKind.MARIADB_TOOL_FAILED.failure("the scratch mariadbd did not answer in 300 s");
  }

  public ProcessBuilder client(String... args) {
    return MariaDbClient.command("mariadb", "127.0.0.1", port, "root", null, args);
  }

  public MariaDbClient.Result sql(String sql) {
    return MariaDbClient.run(client("--batch", "--skip-column-names", "-e", sql), 3600);
  }

  /**
   * A clean SHUTDOWN (the copy is to become a live data directory: no crash recovery left for
   * it), waiting up to ten minutes for the process to end; killed after that.
   */
  public void shutdown(Runnable beat) {
    sql("SHUTDOWN");
    long deadline = System.currentTimeMillis() + 600_000;
    while (process.isAlive() && System.currentTimeMillis() < deadline) {
      beat.run();
      sleep(100);
    }
    if (process.isAlive()) {
      close();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("the scratch mariadbd did not stop in 600 s"
          + " after SHUTDOWN");
    }
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
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    }
  }
}
