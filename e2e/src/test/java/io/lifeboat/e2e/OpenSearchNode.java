package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSearch 2.19.6 node for a test, in its own JVM (-Xmx512m): HTTP and transport on
 * free loopback ports picked now, its home under the test's directory, path.repo = repoRoot,
 * single-node discovery, no security plugin. Its class path (OpenSearch, the netty4 transport,
 * log4j-core) is resolved from Maven Central by resources/opensearch-node/pom.xml once and
 * cached in target/; OpenSearchMain.java runs as a source file against it. The node stops when
 * the test closes it (its stdin closes; then it is killed by its pid, never by name).
 */
final class OpenSearchNode implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final int httpPort;
  final Path home;
  final Path repoRoot;
  private final Process process;
  private final OutputStream stdin;
  private final HttpClient http = HttpClient.newHttpClient();

  private OpenSearchNode(int httpPort, Path home, Path repoRoot, Process process) {
    this.httpPort = httpPort;
    this.home = home;
    this.repoRoot = repoRoot;
    this.process = process;
    this.stdin = process.getOutputStream();
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Starts a node under dir (home dir/home, path.repo dir/repo) and waits until it answers. */
  static OpenSearchNode start(Path dir) throws Exception {
    Path home = dir.resolve("home");
    Path repoRoot = dir.resolve("repo");
    Files.createDirectories(home);
    Files.createDirectories(repoRoot);
    Path res = Path.of(OpenSearchNode.class.getResource("/opensearch-node/pom.xml").toURI())
        .getParent();
    String cp = classpath(res.resolve("pom.xml"));
    int http = RedisServer.freePort();
    int transport = RedisServer.freePort();
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms512m", "-Xmx512m", "-XX:+UseSerialGC", "-cp", cp,
        res.resolve("OpenSearchMain.java").toString(), home.toString(),
        String.valueOf(http), String.valueOf(transport), repoRoot.toString()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(home.resolve("node.log").toFile()).start();
    OpenSearchNode node = new OpenSearchNode(http, home, repoRoot, p);
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      try {
        if (node.call("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null)
            .status() == 200) {
          return node;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        node.close();
        throw new IllegalStateException("the OpenSearch node did not answer; its log: "
            + Files.readString(home.resolve("node.log")));
      }
      Thread.sleep(250);
    }
  }

  /** The node's class path, resolved once by Maven from the node pom and kept in target/. */
  private static synchronized String classpath(Path pom) throws Exception {
    Path cache = Path.of("target", "opensearch-node.classpath").toAbsolutePath();
    if (Files.exists(cache)) {
      String cp = Files.readString(cache).strip();
      if (!cp.isEmpty() && java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
          .allMatch(f -> Files.exists(Path.of(f)))) {
        return cp;
      }
    }
    Files.createDirectories(cache.getParent());
    Process mvn = new ProcessBuilder("mvn", "-B", "-ntp", "-q", "-f", pom.toString(),
        "dependency:build-classpath", "-Dmdep.outputFile=" + cache)
        .redirectErrorStream(true).start();
    String out = new String(mvn.getInputStream().readAllBytes());
    if (!mvn.waitFor(30, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.exists(cache)) {
      throw new IllegalStateException("cannot resolve the OpenSearch node's class path: " + out);
    }
    return Files.readString(cache).strip();
  }

  record Response(int status, JsonNode body) {}

  Response call(String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofMinutes(2))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson"
          : "application/json");
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), parsed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A call that must succeed; its body. */
  JsonNode ok(String method, String path, String body) throws IOException {
    Response r = call(method, path, body);
    if (r.status() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + ": " + r.status() + " " + r.body());
    }
    return r.body();
  }

  /** Every document of an index: _id to _source, sorted by id, as one JSON text. */
  String documents(String index) throws IOException {
    ok("POST", "/" + index + "/_refresh", null);
    JsonNode hits = ok("POST", "/" + index + "/_search?size=10000",
        "{\"query\":{\"match_all\":{}},\"sort\":[{\"_id\":\"asc\"}]}").path("hits").path("hits");
    java.util.TreeMap<String, JsonNode> docs = new java.util.TreeMap<>();
    for (JsonNode h : hits) docs.put(h.path("_id").asText(), h.path("_source"));
    return JSON.writeValueAsString(docs);
  }

  /** Index names, sorted. */
  List<String> indices() throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode row : ok("GET", "/_cat/indices?format=json&h=index", null)) {
      names.add(row.path("index").asText());
    }
    names.sort(null);
    return names;
  }

  @Override
  public void close() throws Exception {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
