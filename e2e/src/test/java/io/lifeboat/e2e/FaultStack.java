package io.lifeboat.e2e;

import io.lifeboat.cli.LifeboatCli;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lifeboat.run.LifeboatSearchAttributes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The fault suite's own Temporal dev server (SQLite file, so a restart keeps every workflow)
 * and its own s3proxy (filesystem basedir), on free ports, each stoppable and restartable;
 * for the server recovery also its own ACME server ({@link #acme()}).
 * The shared stack and the other tests never see them; {@link #baseConfig} is the example
 * config pointed at them, for {@code new RealStack(baseConfig)}.
 */
final class FaultStack implements AutoCloseable {
  static final String BUCKET = "farmtally-backups";

  final Path dir;
  final Path s3Basedir;
  final Path temporalDb;
  final Path baseConfig;
  final int temporalPort;
  final int uiPort;
  final int s3Port;
  private Process temporal;
  private Process s3;
  private LocalAcme acme;

  FaultStack() throws Exception {
    dir = Files.createTempDirectory("lifeboat-faults-");
    s3Basedir = dir.resolve("s3");
    temporalDb = dir.resolve("temporal.db");
    baseConfig = dir.resolve("base.yml");
    temporalPort = ArchivingCluster.freePort();
    uiPort = ArchivingCluster.freePort();
    s3Port = ArchivingCluster.freePort();
    try {
      // A filesystem-backed s3proxy bucket is a directory.
      Files.createDirectories(s3Basedir.resolve(BUCKET));
      writeBaseConfig();
      startS3();
      startTemporal();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void writeBaseConfig() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(RealStack.BASE_CONFIG.toFile());
    ((ObjectNode) root.get("temporal")).put("address", "127.0.0.1:" + temporalPort)
        .put("webUi", "http://127.0.0.1:" + uiPort);
    ((ObjectNode) root.get("repository")).put("endpoint", "http://127.0.0.1:" + s3Port)
        .put("bucket", BUCKET);
    // The example's MariaDB, Redis and OpenSearch are the shared stack's (fixed ports): never
    // this suite's sources.
    root.remove("mariadb");
    root.remove("redis");
    root.remove("opensearch");
    // The example's key paths are relative to its own directory and the keys are made by `up`;
    // the suite runs after `down` (or alone), so it makes keys of its own: faults are injected
    // with encryption on, as the local stack runs.
    Path repositoryKey = dir.resolve("keys/repository.json");
    Path payloadKey = dir.resolve("keys/payload.json");
    Files.createDirectories(repositoryKey.getParent());
    generateKey("--repository", repositoryKey);
    generateKey(null, payloadKey);
    // wal-push runs as the postgres OS user and encrypts with the repository key (as the
    // launcher arranges for the stack's key): that user may pass through and read it.
    if ("root".equals(System.getProperty("user.name"))) {
      run("chmod", "711", dir.toString());
      run("chgrp", "postgres", repositoryKey.getParent().toString(), repositoryKey.toString());
      run("chmod", "750", repositoryKey.getParent().toString());
      run("chmod", "640", repositoryKey.toString());
    }
    if (root.get("repository").has("encryption")) {
      ((ObjectNode) root.get("repository")).putObject("encryption")
          .put("keyFile", repositoryKey.toString());
    }
    if (root.path("temporal").has("payloadEncryption")) {
      ((ObjectNode) root.get("temporal").get("payloadEncryption"))
          .put("keysetFile", payloadKey.toString()).put("codecServerPort", 0);
    }
    yaml.writeValue(baseConfig.toFile(), root);
  }

  private static void run(String... argv) throws IOException {
    try {
      Process p = new ProcessBuilder(argv).inheritIO().start();
      if (p.waitFor() != 0) throw new IOException(String.join(" ", argv) + " failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void generateKey(String flag, Path file) {
    java.io.StringWriter err = new java.io.StringWriter();
    String[] args = flag == null ? new String[] {"keys", "generate", file.toString()}
        : new String[] {"keys", "generate", flag, file.toString()};
    int code = io.lifeboat.cli.LifeboatCli.commandLine(System.getenv(),
        new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(err, true)).execute(args);
    if (code != 0) throw new IllegalStateException("keys generate " + file + ": " + err);
  }

  /** The s3proxy jar the launcher installed (LIFEBOAT_S3PROXY_JAR, else .lifeboat/tools). */
  static Path s3proxyJar() throws IOException {
    String env = System.getenv("LIFEBOAT_S3PROXY_JAR");
    if (env != null && !env.isBlank()) return Path.of(env);
    Path tools = Path.of("../.lifeboat/tools").toAbsolutePath().normalize();
    try (Stream<Path> s = Files.list(tools)) {
      return s.filter(p -> p.getFileName().toString().matches("s3proxy-.*-jar-with-dependencies\\.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no s3proxy jar in " + tools
              + "; run ./lifeboat faults (it installs one) or set LIFEBOAT_S3PROXY_JAR"));
    }
  }

  void startS3() throws Exception {
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + s3Port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + System.getenv("LIFEBOAT_S3_ACCESS_KEY"),
        "s3proxy.credential=" + System.getenv("LIFEBOAT_S3_SECRET_KEY"),
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + s3Basedir, ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
        "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
        "-jar", s3proxyJar().toString(), "--properties", props.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3.log").toFile()));
    pb.environment().put("LOG_LEVEL", "warn");
    s3 = pb.start();
    awaitPort(s3, s3Port, "s3proxy", dir.resolve("s3.log"));
  }

  /** SIGKILL: an S3 endpoint that vanishes mid-request, like a network partition. */
  void stopS3() throws Exception {
    kill(s3);
  }

  void startTemporal() throws Exception {
    List<String> argv = new ArrayList<>(List.of(RealStack.temporalCli(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", String.valueOf(temporalPort), "--ui-port",
        String.valueOf(uiPort), "--db-filename", temporalDb.toString(), "--namespace", "default",
        "--log-level", "warn"));
    for (var key : LifeboatSearchAttributes.ALL) {
      argv.addAll(List.of("--search-attribute", key.getName() + "=Keyword"));
    }
    temporal = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("temporal.log").toFile()))
        .start();
    awaitPort(temporal, temporalPort, "temporal", dir.resolve("temporal.log"));
    // Registration lands just after the port opens: ready means "the attributes are listed".
    for (int i = 0; ; i++) {
      String list = "";
      try {
        list = ArchivingCluster.sh(RealStack.temporalCli(), "operator", "search-attribute", "list",
            "--address", "127.0.0.1:" + temporalPort, "--namespace", "default");
      } catch (IllegalStateException notYet) {
        // not serving yet
      }
      String l = list;
      if (LifeboatSearchAttributes.ALL.stream().allMatch(k -> l.contains(k.getName()))) return;
      if (i > 600) throw new IllegalStateException("temporal never listed the search attributes");
      Thread.sleep(200);
    }
  }

  /** SIGKILL, as a crash or an OOM kill would: the SQLite file keeps what was committed. */
  void killTemporal() throws Exception {
    kill(temporal);
  }

  private static void kill(Process p) throws Exception {
    if (p == null || !p.isAlive()) return;
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  private static void awaitPort(Process p, int port, String what, Path log) throws Exception {
    for (int i = 0; ; i++) {
      if (!p.isAlive()) {
        throw new IllegalStateException(what + " exited while starting: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (i > 600) throw new IllegalStateException(what + " never opened port " + port);
        Thread.sleep(200);
      }
    }
  }

  /**
   * The suite's own ACME server (pebble + challtestsrv on free ports, a throwaway CA), started
   * on first use: the server recovery's TLS step must not touch the stack's (fixed ports, and
   * the `dr` target's HTTP-01 port 8080 that other tests may be using).
   */
  synchronized LocalAcme acme() throws Exception {
    if (acme == null) acme = LocalAcme.start(dir.resolve("acme"));
    return acme;
  }

  /** The file s3proxy keeps an object in (its filesystem provider maps a key to a path). */
  Path objectFile(String key) {
    return s3Basedir.resolve(BUCKET).resolve(key);
  }

  @Override
  public void close() throws Exception {
    if (acme != null) acme.close();
    kill(temporal);
    kill(s3);
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
