package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The sample FarmTally app (examples/farmtally/app) deployed for one test: a release root with
 * previous/ (revision r1) and current/ (revision r2), run by real PM2 under its own PM2_HOME on
 * a free port, so the stack's own app is never touched.
 */
final class SampleApp implements AutoCloseable {
  static final Path SOURCE = Path.of("../examples/farmtally/app/release").toAbsolutePath().normalize();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  final Path root;
  final Path pm2Home;
  final Path ecosystem;
  final String pm2Name;
  final int port;
  /** The application's name in the config (applications[].name). */
  final String name;
  private boolean started;

  SampleApp(RealStack stack, Map<String, String> extraEnv) throws IOException {
    this(stack, extraEnv, "farmtally");
  }

  /**
   * {@code name} names the application in the config, and so the workflow ids of its manual
   * backups and rollbacks ({@code backup-app-ESTATE-NAME-manual},
   * {@code rollback-app-ESTATE-NAME}). Those ids are the "one at a time" lock in the whole
   * Temporal namespace, which every suite on the shared stack uses with the example's estate: a
   * test that must not meet another suite's run of the same id names its application after its
   * own stack.
   */
  SampleApp(RealStack stack, Map<String, String> extraEnv, String name) throws IOException {
    this.name = name;
    root = stack.dir.resolve("estate/farmtally");
    pm2Home = stack.dir.resolve("pm2");
    Files.createDirectories(pm2Home);
    pm2Name = "ft-" + stack.tag;
    port = freePort();
    deploy("previous", "r1");
    deploy("current", "r2");
    ecosystem = root.resolve("ecosystem.config.js");
    StringBuilder env = new StringBuilder("NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '"
        + port + "'");
    extraEnv.forEach((k, v) -> env.append(", ").append(k).append(": '").append(v).append("'"));
    Files.writeString(ecosystem, "const path = require('path');\n"
        + "module.exports = { apps: [{ name: '" + pm2Name + "', cwd: path.join(__dirname, 'current'),"
        + " script: 'server.js', env: { " + env + " }, autorestart: true, max_restarts: 5 }] };\n");
  }

  /** Copies the sample release into root/NAME with its own revision. */
  void deploy(String name, String revision) throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.walk(SOURCE)) {
      for (Path p : files.toList()) {
        Path to = dir.resolve(SOURCE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else if (!p.toString().contains("node_modules")) {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    setRevision(name, revision);
  }

  void setRevision(String release, String revision) throws IOException {
    Path dir = root.resolve(release);
    Files.writeString(dir.resolve("REVISION"), revision + "\n");
    Files.writeString(dir.resolve("release.json"),
        "{ \"name\": \"farmtally\", \"revision\": \"" + revision + "\" }\n");
  }

  /** The kind of damage Scenario 3 is about: a release file the running app needs is garbage. */
  void corrupt() throws IOException {
    Files.writeString(root.resolve("current/release.json"), "{ this is not json");
  }

  /**
   * Gives a release's package.json a postinstall script (JavaScript for node -e, without double
   * quotes): proof that npm ran, or a slow install a test can kill the worker in.
   */
  void postinstall(String release, String js) throws IOException {
    Path pkg = root.resolve(release).resolve("package.json");
    String json = Files.readString(pkg).replace("\"start\": \"node server.js\"",
        "\"start\": \"node server.js\",\n    \"postinstall\": \"node -e \\\"" + js + "\\\"\"");
    Files.writeString(pkg, json);
  }

  void start() throws Exception {
    pm2("start", ecosystem.toString());
    started = true;
    awaitHealthy();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** HTTP status of GET path, or -1 when nothing answers. */
  int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(3))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String body(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(3))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  void awaitHealthy() throws InterruptedException {
    for (int i = 0; i < 300 && status("/api/health") != 200; i++) Thread.sleep(100);
    if (status("/api/health") != 200) {
      throw new IllegalStateException("sample app did not answer on port " + port);
    }
  }

  /** The application entry for the test's config. */
  void addTo(ObjectNode config) {
    ArrayNode apps = config.putArray("applications");
    ObjectNode a = apps.addObject();
    a.put("name", name);
    a.put("releaseRoot", root.toString());
    a.put("pm2Name", pm2Name);
    a.put("ecosystemFile", ecosystem.toString());
    a.put("pm2Home", pm2Home.toString());
    a.put("healthUrl", url("/api/health"));
    a.putArray("criticalEndpoints").add(url("/api/auth/verify"));
  }

  /** Environment for a worker: where pm2 is. */
  static Map<String, String> workerEnv() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIFEBOAT_PM2_BIN", pm2Bin());
    return env;
  }

  static String pm2Bin() {
    String configured = System.getenv("LIFEBOAT_PM2_BIN");
    if (configured != null && !configured.isBlank()) return configured;
    Path local = Path.of("../.lifeboat/npm/node_modules/.bin/pm2").toAbsolutePath().normalize();
    return Files.isExecutable(local) ? local.toString() : "pm2";
  }

  String pm2(String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(pm2Bin());
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PM2_HOME", pm2Home.toString());
    pb.environment().put("PM2_DISCRETE_MODE", "true");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("pm2 " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  String revision() throws IOException {
    return Files.readString(root.resolve("current/REVISION")).strip();
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      pm2("kill"); // this test's daemon only: its own PM2_HOME
    } catch (Exception ignored) {
      // best effort
    }
  }
}
