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
 * A real MinIO server of the test's own, for what s3proxy lacks (S3 Object Lock): the binary
 * the launcher built ({@code LIFEBOAT_MINIO_BIN}, or .lifeboat/tools/minio-RELEASE.*), on free
 * ports, with a temporary data directory and root credentials of its own. Stopped and removed
 * on close.
 */
final class MinioServer implements AutoCloseable {
  static final String ACCESS_ENV = LocalS3.ACCESS_ENV;
  static final String SECRET_ENV = LocalS3.SECRET_ENV;

  final String endpoint;
  final String accessKey = "minio-" + UUID.randomUUID().toString().substring(0, 8);
  final String secretKey = "minio-secret-" + UUID.randomUUID();
  final String version;
  private final Path dir;
  private final Process process;

  MinioServer() throws Exception {
    Path bin = binary();
    version = new String(new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true)
        .start().getInputStream().readAllBytes()).lines().findFirst().orElse("?");
    int port = freePort();
    int consolePort = freePort();
    endpoint = "http://127.0.0.1:" + port;
    dir = Files.createTempDirectory("lifeboat-minio");
    Files.createDirectories(dir.resolve("data"));
    ProcessBuilder pb = new ProcessBuilder(bin.toString(), "server", dir.resolve("data").toString(),
        "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + consolePort,
        "--quiet")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("minio.log").toFile());
    pb.environment().put("MINIO_ROOT_USER", accessKey);
    pb.environment().put("MINIO_ROOT_PASSWORD", secretKey);
    pb.environment().put("MINIO_BROWSER", "off");
    // Its own config and certs directory, never the user's ~/.minio.
    pb.environment().put("HOME", dir.toString());
    process = pb.start();
    LocalS3.awaitAnswering(process, endpoint + "/minio/health/ready", true,
        dir.resolve("minio.log"));
  }

  /** The binary the launcher built, or where it builds it. */
  static Path binary() {
    String env = System.getenv("LIFEBOAT_MINIO_BIN");
    if (env != null && !env.isBlank()) return Path.of(env);
    Path tools = Path.of("../.lifeboat/tools").toAbsolutePath().normalize();
    if (Files.isDirectory(tools)) {
      try (Stream<Path> files = Files.list(tools)) {
        var found = files.filter(p -> p.getFileName().toString().matches("minio-RELEASE\\..*")
            && Files.isExecutable(p)).sorted().reduce((a, b) -> b);
        if (found.isPresent()) return found.get();
      } catch (IOException e) {
        // fall through to the message
      }
    }
    throw new IllegalStateException("no MinIO binary: run ./lifeboat test (it builds one into"
        + " .lifeboat/tools), or set LIFEBOAT_MINIO_BIN");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  S3Client client() {
    return LocalS3.client(endpoint, accessKey, secretKey);
  }

  /** A bucket created with Object Lock enabled (which turns versioning on), as on AWS. */
  void createLockedBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    }
  }

  /** The process environment plus this server's credentials, for a worker and the CLI. */
  Map<String, String> env() {
    return LocalS3.env(accessKey, secretKey);
  }

  /** Adds an offsite section for this server's bucket to a test config. */
  ObjectNode addOffsiteTo(ObjectNode root, String bucket) {
    ObjectNode o = root.putObject("offsite");
    o.put("endpoint", endpoint).put("bucket", bucket).put("accessKeyEnv", ACCESS_ENV)
        .put("secretKeyEnv", SECRET_ENV).put("partSizeMb", 5);
    return o;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    process.waitFor();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
