package io.lifeboat.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 cluster that archives through {@code lifeboat wal-push} the way the
 * sample cluster does (asynchronous, spool + shipper), run as the postgres OS user on a free
 * port. The shared cluster is never touched. Everything PostgreSQL's archive_command needs
 * (launcher, config, classes, S3 keys in a 0600 env file) is made readable to that user here,
 * because the Maven repository under /root is not.
 */
final class ArchivingCluster implements AutoCloseable {
  static final Path LAUNCHER = Path.of("../lifeboat").toAbsolutePath().normalize();

  final Path dir;
  final Path data;
  final Path spool;
  final Path envFile;
  final Path config;
  /** The test's config (the cluster's own {@link #config} is a copy for the postgres user). */
  final Path stackConfig;
  final int port;
  final String database;
  /** Variables written to the env file beside the S3 keys (another repository's secrets). */
  private final java.util.Map<String, String> extraEnv;


  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A config entry for this cluster: the first database of the tree, pointed at it. */
  static void point(com.fasterxml.jackson.databind.node.ObjectNode root, String database,
      int port) {
    var db = RealStack.addDatabase(root, database);
    db.put("host", "127.0.0.1").put("port", port).put("user", "postgres");
    db.remove("passwordEnv");
  }

  /**
   * A cluster of the stack's own, named DATABASE in a config the stack writes ({@link
   * #stackConfig}); the stack is closed when the cluster cannot start, since no test runs then.
   */
  static ArchivingCluster of(RealStack stack, String database) throws Exception {
    int port = freePort();
    Path config = stack.config(database, root -> point(root, database, port));
    try {
      return new ArchivingCluster(stack.tag, database, port, config);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  ArchivingCluster(String tag, String database, int port, Path sourceConfig) throws Exception {
    this(tag, database, port, sourceConfig, java.util.Map.of());
  }

  /** As above, with more variables in the env file wal-push reads (a repository's secret). */
  ArchivingCluster(String tag, String database, int port, Path sourceConfig,
      java.util.Map<String, String> extraEnv) throws Exception {
    this.extraEnv = extraEnv;
    this.stackConfig = sourceConfig;
    this.database = database;
    this.port = port;
    this.dir = Path.of("/tmp", "lifeboat-pg-" + tag + "-" + Math.floorMod(database.hashCode(), 1000));
    this.data = dir.resolve("data");
    this.spool = dir.resolve("spool");
    this.envFile = dir.resolve("wal.env");
    this.config = dir.resolve("lifeboat.yml");
    try {
      setUp(sourceConfig);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void setUp(Path sourceConfig) throws Exception {
    Files.createDirectories(dir);
    sh("chmod", "755", dir.toString());
    Files.copy(sourceConfig, config, StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(spool);
    String cp = readableClasspath(dir.resolve("cp"));
    Files.writeString(envFile, "LIFEBOAT_S3_ACCESS_KEY=" + System.getenv("LIFEBOAT_S3_ACCESS_KEY")
        + "\nLIFEBOAT_S3_SECRET_KEY=" + System.getenv("LIFEBOAT_S3_SECRET_KEY")
        + "\nLIFEBOAT_CLASSPATH=" + cp + "\nLIFEBOAT_WAL_SHIP_IDLE=5\nLIFEBOAT_WAL_FETCH_IDLE=5\n"
        + extraEnv.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n")
            .collect(java.util.stream.Collectors.joining()));
    sh("chmod", "-R", "a+rX", dir.toString());
    sh("chmod", "600", envFile.toString());
    // The directory itself belongs to postgres (server log, socket); the class path links stay
    // root's (chown through a hard link would change the Maven repository's file).
    if (isRoot()) {
      sh("chown", "postgres:postgres", dir.toString(), spool.toString(), envFile.toString());
    }
    Files.createDirectories(data);
    sh("chmod", "700", data.toString());
    if (isRoot()) sh("chown", "postgres:postgres", data.toString());
    asPostgres(RealStack.pg("initdb"), "-D", data.toString(), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C");
    Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
        "port = " + port,
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '" + dir + "'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "archive_mode = on",
        "archive_command = '" + archiveCommand().replace("'", "''") + "'",
        "fsync = off",
        "shared_buffers = 32MB",
        ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    asPostgres(RealStack.pg("pg_ctl"), "-D", data.toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "start");
  }

  String archiveCommand() {
    return "LIFEBOAT_ENV_FILE=" + envFile + " " + LAUNCHER + " wal-push --config " + config
        + " --spool " + spool + " --database " + database + " %p %f";
  }

  String psql(String sql) throws Exception {
    return sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h",
        "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres", "-c", sql)
        .strip();
  }

  String pgbench(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(RealStack.pg("pgbench"), "-h", "127.0.0.1", "-p",
        String.valueOf(port), "-U", "postgres"));
    argv.addAll(List.of(args));
    argv.add("postgres");
    return sh(argv.toArray(String[]::new));
  }

  /** Runs the launcher as PostgreSQL would run archive_command (as postgres, in the data dir). */
  RealStack.Run launcherAsPostgres(String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    if (isRoot()) argv.addAll(List.of("runuser", "-u", "postgres", "--"));
    argv.addAll(List.of("env", "LIFEBOAT_ENV_FILE=" + envFile, LAUNCHER.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(data.toFile());
    Process p = pb.start();
    byte[] err = p.getErrorStream().readAllBytes();
    byte[] out = p.getInputStream().readAllBytes();
    return new RealStack.Run(p.waitFor(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** Waits until PostgreSQL reports this WAL file archived, failing on archiver failures. */
  void awaitArchived(String walName) throws Exception {
    for (int i = 0; ; i++) {
      String row = psql("select coalesce(last_archived_wal, ''), failed_count,"
          + " coalesce(last_failed_wal, '') from pg_stat_archiver");
      String[] f = row.split("\\|", -1);
      if (!f[0].isEmpty() && f[0].compareTo(walName) >= 0) return;
      if (i > 3000) {
        throw new AssertionError("archiver never reached " + walName + ": " + row + "\n"
            + Files.readString(dir.resolve("log")));
      }
      Thread.sleep(100);
    }
  }

  String log() throws IOException {
    return Files.readString(dir.resolve("log"));
  }

  private String asPostgres(String... argv) throws Exception {
    List<String> all = new ArrayList<>();
    if (isRoot()) all.addAll(List.of("runuser", "-u", "postgres", "--"));
    all.addAll(List.of(argv));
    return sh(all.toArray(String[]::new));
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static String sh(String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(new java.io.File("/"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0) throw new IllegalStateException(String.join(" ", argv) + " exited " + exit + ": " + out);
    return out;
  }

  /** Hard links (or copies) of this JVM's class path where the postgres user can read them. */
  private static String readableClasspath(Path into) throws IOException {
    Files.createDirectories(into);
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path src = Path.of(e);
      if (!Files.exists(src)) continue;
      Path dst = into.resolve((i++) + "-" + src.getFileName());
      if (Files.isDirectory(src)) {
        copyTree(src, dst);
      } else {
        try {
          Files.createLink(dst, src);
        } catch (IOException | UnsupportedOperationException notSameFs) {
          Files.copy(src, dst);
        }
      }
      entries.add(dst.toString());
    }
    return String.join(":", entries);
  }

  private static void copyTree(Path src, Path dst) throws IOException {
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : all.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      asPostgres(RealStack.pg("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } catch (Exception ignored) {
      // not running
    }
    // The shipper exits by itself when idle; stop it now so no process outlives the test.
    for (Path pid : List.of(spool.resolve(database).resolve("shipper.pid"),
        spool.resolve(database).resolve("fetch").resolve("prefetcher.pid"))) {
      stopJava(pid);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void stopJava(Path pid) {
    if (Files.exists(pid)) {
      try {
        long p = Long.parseLong(Files.readString(pid).strip());
        ProcessHandle.of(p).ifPresent(h -> {
          if (h.info().command().orElse("").contains("java")) h.destroy();
        });
      } catch (IOException | NumberFormatException ignored) {
        // gone already
      }
    }
  }
}
