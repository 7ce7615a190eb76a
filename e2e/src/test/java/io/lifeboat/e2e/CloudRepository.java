package io.lifeboat.e2e;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The repository on a cloud-storage emulator run by the test: fake-gcs-server (repository.type
 * gcs) or Azurite (azure), on a free loopback port with its data under the test's directory,
 * stopped by {@link #close}. {@link #baseConfig} writes the stack's config with its repository
 * moved onto the emulator, for a {@link RealStack} of its own: every config the stack derives,
 * the workers started from them and the clusters' wal-push then write there, and nowhere else.
 *
 * <p>The binaries are the ones the launcher's ensure_test_tools installs (LIFEBOAT_FAKE_GCS_BIN,
 * LIFEBOAT_AZURITE_BIN), else those under the checkout's .lifeboat/tools or the contract test's
 * ~/.cache/lifeboat/test-tools; when there is none the test is skipped, saying so.
 */
final class CloudRepository implements AutoCloseable {
  static final String BUCKET = "lifeboat-e2e";
  static final String AZURE_CONNECTION_ENV = "LIFEBOAT_TEST_AZURE_CONNECTION";
  /** Azurite's well-known development account key (not a secret). */
  private static final String AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVEr"
      + "Cz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  final String type;
  final int port;
  private final Path data;
  private final Process process;

  private CloudRepository(String type, int port, Path data, Process process) {
    this.type = type;
    this.port = port;
    this.data = data;
    this.process = process;
  }

  /** Starts the emulator for {@code type} (gcs or azure) and creates the bucket/container. */
  static CloudRepository start(String type, Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve(type + "-emulator"));
    int port = ArchivingCluster.freePort();
    List<String> cmd;
    String probe;
    if (type.equals("gcs")) {
      Path bin = binary("LIFEBOAT_FAKE_GCS_BIN", "fake-gcs-server-v1.56.1", "fake-gcs-server");
      Files.createDirectories(data.resolve("root"));
      cmd = List.of(bin.toString(), "-scheme", "http", "-host", "127.0.0.1", "-port",
          String.valueOf(port), "-backend", "filesystem", "-filesystem-root",
          data.resolve("root").toString(), "-public-host", "127.0.0.1:" + port,
          "-external-url", "http://127.0.0.1:" + port, "-log-level", "warn");
      probe = "/storage/v1/b";
    } else {
      Path bin = binary("LIFEBOAT_AZURITE_BIN", "azurite-3.37.0/node_modules/.bin/azurite-blob",
          "Azurite 3.37.0");
      cmd = List.of(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort",
          String.valueOf(port), "--location", data.resolve("blob").toString(), "--silent");
      probe = "/devstoreaccount1?comp=list";
    }
    Path log = data.resolve("emulator.log");
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).directory(data.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    CloudRepository r = new CloudRepository(type, port, data, p);
    try {
      r.awaitHttp(probe, log);
      if (type.equals("gcs")) {
        try (Storage s = gcs(port)) {
          s.create(BucketInfo.of(BUCKET));
        }
      } else {
        r.container().create();
      }
    } catch (Exception e) {
      r.close();
      throw e;
    }
    return r;
  }

  private static Path binary(String env, String name, String what) {
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of(fromEnv)),
          env + "=" + fromEnv + " is not an executable file");
      return Path.of(fromEnv);
    }
    List<Path> tried = new ArrayList<>();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      tried.add(d.resolve(".lifeboat/tools").resolve(name));
    }
    String home = System.getenv("LIFEBOAT_HOME");
    if (home != null) tried.add(Path.of(home, ".lifeboat/tools", name));
    tried.add(Path.of(System.getProperty("user.home"), ".cache/lifeboat/test-tools", name));
    for (Path p : tried) {
      if (Files.isExecutable(p)) return p;
    }
    Assumptions.abort(what + " is not installed (" + env + " unset; not under .lifeboat/tools or"
        + " ~/.cache/lifeboat/test-tools): ./lifeboat test installs it");
    throw new AssertionError("unreachable");
  }

  private void awaitHttp(String path, Path log) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(type + " emulator exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL()
            .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (c.getResponseCode() > 0) return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(type + " emulator not answering on " + url() + ": "
        + Files.readString(log));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURITE_KEY
        + ";BlobEndpoint=" + url() + "/devstoreaccount1;";
  }

  /** What the worker, the CLI and wal-push need besides the config (Azure's connection). */
  Map<String, String> env() {
    return type.equals("azure") ? Map.of(AZURE_CONNECTION_ENV, connectionString()) : Map.of();
  }

  /**
   * The stack's config ({@link RealStack#BASE_CONFIG}) with its repository on this emulator:
   * the S3 settings replaced by the type's, the rest (prefix, part size, client-side
   * encryption) kept; key files named by absolute path, since the copy lives in {@code dir}.
   */
  Path baseConfig(Path dir) throws IOException {
    LifeboatConfig loaded = new ConfigLoader().load(RealStack.BASE_CONFIG);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(RealStack.BASE_CONFIG.toFile());
    // Sources of other kinds (the stack's own MariaDB, Redis, OpenSearch, files) are not part
    // of this test, and their relative paths would be taken from this copy's directory.
    for (String other : List.of("mariadb", "redis", "opensearch", "files")) root.remove(other);
    ObjectNode repo = (ObjectNode) root.get("repository");
    for (String s3Only : List.of("endpoint", "region", "pathStyle", "accessKeyEnv",
        "secretKeyEnv", "serverSideEncryption", "storageClass")) {
      repo.remove(s3Only);
    }
    repo.put("type", type).put("bucket", BUCKET);
    if (type.equals("gcs")) {
      repo.put("endpoint", url());
      repo.putObject("gcs").put("projectId", "test");
    } else {
      repo.putObject("azure").put("connectionStringEnv", AZURE_CONNECTION_ENV);
    }
    var enc = loaded.repository().encryption();
    if (enc != null && enc.keyFile() != null) {
      repo.putObject("encryption").put("keyFile", enc.keyFile());
    }
    var pe = loaded.temporal().payloadEncryption();
    if (pe != null && pe.keysetFile() != null) {
      ((ObjectNode) root.with("temporal").with("payloadEncryption"))
          .put("keysetFile", pe.keysetFile());
    }
    Path file = dir.resolve("base-" + type + ".yml");
    yaml.writeValue(file.toFile(), root);
    return file;
  }

  /** Every key in the emulator's bucket, read with the emulator's own client. */
  List<String> allKeys() {
    if (type.equals("gcs")) {
      try (Storage s = gcs(port)) {
        List<String> keys = new ArrayList<>();
        s.list(BUCKET).iterateAll().forEach(b -> keys.add(b.getName()));
        return keys;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    List<String> keys = new ArrayList<>();
    container().listBlobs().forEach(b -> keys.add(b.getName()));
    return keys;
  }

  /**
   * Flips one bit of the stored object in the middle, with the emulator's own client: the same
   * key, the same metadata, one byte different (as bit rot or tampering would leave it).
   */
  void flipByte(String key) throws Exception {
    if (type.equals("gcs")) {
      try (Storage s = gcs(port)) {
        Blob blob = s.get(BlobId.of(BUCKET, key));
        byte[] bytes = blob.getContent();
        bytes[bytes.length / 2] ^= 0x01;
        s.create(BlobInfo.newBuilder(BlobId.of(BUCKET, key)).setMetadata(blob.getMetadata())
            .setContentType(blob.getContentType()).build(), bytes);
      }
    } else {
      var blob = container().getBlobClient(key);
      Map<String, String> metadata = blob.getProperties().getMetadata();
      byte[] bytes = blob.downloadContent().toBytes();
      bytes[bytes.length / 2] ^= 0x01;
      blob.upload(BinaryData.fromBytes(bytes), true);
      blob.setMetadata(metadata);
    }
  }

  private static Storage gcs(int port) {
    return StorageOptions.newBuilder().setHost("http://127.0.0.1:" + port).setProjectId("test")
        .setCredentials(NoCredentials.getInstance()).build().getService();
  }

  private BlobContainerClient container() {
    return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient()
        .getBlobContainerClient(BUCKET);
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    // Azurite waits for idle keep-alive connections before it exits: after a grace, kill it.
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    for (ProcessHandle c : children) {
      if (!c.onExit().isDone()) c.destroyForcibly();
      c.onExit().get(60, TimeUnit.SECONDS);
    }
  }
}
