package io.lifeboat.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the tests' own S3 servers (OffsiteProxy's s3proxy, MinioServer) share. */
final class LocalS3 {
  static final String ACCESS_ENV = "LIFEBOAT_OFFSITE_ACCESS_KEY";
  static final String SECRET_ENV = "LIFEBOAT_OFFSITE_SECRET_KEY";

  private LocalS3() {}

  /**
   * Waits until the server answers HTTP on the URL (with 200 when {@code wantOk}); fails with
   * its log when the process exits first.
   */
  static void awaitAnswering(Process process, String url, boolean wantOk, Path log)
      throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(url + ": the server exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200 || !wantOk) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no answer on " + url + "; log: " + Files.readString(log));
  }

  static S3Client client(String endpoint, String accessKey, String secretKey) {
    return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** The process environment plus the offsite credentials, for a worker and the CLI. */
  static Map<String, String> env(String accessKey, String secretKey) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(ACCESS_ENV, accessKey);
    env.put(SECRET_ENV, secretKey);
    return env;
  }
}
