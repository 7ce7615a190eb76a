package io.lifeboat.e2e;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An s3proxy of the test's own with the credentials and bucket it is given (a site's primary
 * repository, issue 18's two-site test), on a free port with its own directory. {@link #lose()}
 * is the site's loss: the process is killed and its data deleted; close does the same.
 */
final class SiteS3 implements AutoCloseable {
  final int port;
  final String endpoint;
  final String bucket;
  private final String accessKey;
  private final String secretKey;
  private final Path dir;
  private final Process process;

  SiteS3(String bucket, String accessKey, String secretKey) throws Exception {
    this.bucket = bucket;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    dir = Files.createTempDirectory("lifeboat-site-s3");
    Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
    process = new ProcessBuilder("java", "-jar", OffsiteProxy.jar().toString(), "--properties",
        props.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("s3proxy.log").toFile())
        .start();
    LocalS3.awaitAnswering(process, endpoint, false, dir.resolve("s3proxy.log"));
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  S3Client client() {
    return LocalS3.client(endpoint, accessKey, secretKey);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Killed (SIGKILL) and its data directory deleted. */
  void lose() throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public void close() throws Exception {
    lose();
  }
}
