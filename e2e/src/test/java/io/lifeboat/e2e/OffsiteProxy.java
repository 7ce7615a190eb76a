package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A second s3proxy, the offsite endpoint, of the test's own: on a free port, with its own
 * filesystem directory and credentials, so the test works whether or not the stack's offsite
 * s3proxy (launcher, port 9100) runs, and never touches it. Stopped and removed on close.
 */
final class OffsiteProxy implements AutoCloseable {
  static final String ACCESS_ENV = LocalS3.ACCESS_ENV;
  static final String SECRET_ENV = LocalS3.SECRET_ENV;
  static final String BUCKET = "farmtally-offsite";

  final int port;
  final String endpoint;
  final String accessKey = "offsite-" + UUID.randomUUID().toString().substring(0, 8);
  final String secretKey = "offsite-secret-" + UUID.randomUUID();
  private final Path dir;
  private final Process process;

  OffsiteProxy() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    dir = Files.createTempDirectory("lifeboat-offsite-s3");
    Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
    process = new ProcessBuilder("java", "-jar", jar().toString(), "--properties",
        props.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("s3proxy.log").toFile())
        .start();
    LocalS3.awaitAnswering(process, endpoint, false, dir.resolve("s3proxy.log"));
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  /** The jar the launcher installed, or the one in the local Maven repository. */
  static Path jar() {
    String env = System.getenv("LIFEBOAT_S3PROXY_JAR");
    if (env != null && !env.isBlank()) return Path.of(env);
    for (Path dir : new Path[] {Path.of("../.lifeboat/tools").toAbsolutePath().normalize(),
        Path.of(System.getProperty("user.home"), ".m2/repository/org/gaul/s3proxy")}) {
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> files = Files.walk(dir)) {
        var found = files.filter(p -> p.getFileName().toString()
            .matches("s3proxy-.*-jar-with-dependencies\\.jar")).sorted().reduce((a, b) -> b);
        if (found.isPresent()) return found.get();
      } catch (IOException e) {
        // try the next place
      }
    }
    throw new IllegalStateException("no s3proxy jar: run ./lifeboat up once, or set"
        + " LIFEBOAT_S3PROXY_JAR");
  }

  S3Client client() {
    return LocalS3.client(endpoint, accessKey, secretKey);
  }

  /** The process environment plus this endpoint's credentials, for a worker and the CLI. */
  Map<String, String> env() {
    return LocalS3.env(accessKey, secretKey);
  }

  /** Adds the offsite section for this endpoint to a test config. */
  ObjectNode addTo(ObjectNode root) {
    ObjectNode o = root.putObject("offsite");
    o.put("endpoint", endpoint).put("bucket", BUCKET).put("accessKeyEnv", ACCESS_ENV)
        .put("secretKeyEnv", SECRET_ENV).put("partSizeMb", 5);
    o.putObject("objectLock").put("mode", "GOVERNANCE").put("days", 1);
    o.putObject("retention").put("days", 30).put("monthly", 3);
    return o;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
