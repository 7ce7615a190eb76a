package io.lifeboat.storage.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.storage.s3.FakeS3Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ObjectStore contract, run against every repository type: S3 (the in-process
 * {@link FakeS3Server}), Google Cloud Storage (a real fake-gcs-server) and Azure Blob (a real
 * Azurite), each emulator on a free loopback port with its own data directory. A store whose
 * emulator cannot be installed here is skipped with the reason; the launcher's
 * ensure_test_tools installs both, so CI runs all three.
 */
class ObjectStoreContractTest {
  private static final String BUCKET = "lifeboat-contract";
  private static final String AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVEr"
      + "Cz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final int MIB = 1024 * 1024;

  /** One running backend per type, started on first use and stopped after the class. */
  private static final Map<String, Object> BACKENDS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<String, String> UNAVAILABLE = new java.util.concurrent.ConcurrentHashMap<>();
  private static int prefixes;

  static Stream<String> types() {
    return Stream.of("s3", "gcs", "azure");
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Object o : BACKENDS.values()) ((AutoCloseable) o).close();
    BACKENDS.clear();
  }

  /** A store of the type on its running backend, under a prefix of its own. */
  private static Store open(String type) throws Exception {
    String skip = UNAVAILABLE.get(type);
    Assumptions.assumeTrue(skip == null, () -> type + " skipped: " + skip);
    try {
      Object backend = BACKENDS.get(type);
      if (backend == null) {
        backend = start(type);
        BACKENDS.put(type, backend);
      }
      String prefix = "c" + (++prefixes);
      return new Store(StoreFactory.open(config(type, backend, prefix), secrets(type, backend)),
          prefix);
    } catch (Emulator.Unavailable e) {
      UNAVAILABLE.put(type, e.getMessage());
      Assumptions.abort(type + " skipped: " + e.getMessage());
      throw e;
    }
  }

  private record Store(ObjectStore store, String prefix) {
    String key(String rest) {
      return prefix + "/" + rest;
    }
  }

  private static Object start(String type) throws Exception {
    switch (type) {
      case "s3":
        return new FakeS3Server(BUCKET);
      case "gcs": {
        Emulator e = Emulator.fakeGcs();
        try (Storage admin = StorageOptions.newBuilder().setHost(e.url()).setProjectId("test")
            .setCredentials(NoCredentials.getInstance()).build().getService()) {
          admin.create(BucketInfo.of(BUCKET));
        }
        return e;
      }
      default: {
        Emulator e = Emulator.azurite();
        new BlobServiceClientBuilder().connectionString(azuriteConnection(e)).buildClient()
            .createBlobContainer(BUCKET);
        return e;
      }
    }
  }

  private static String azuriteConnection(Emulator e) {
    return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURITE_KEY
        + ";BlobEndpoint=" + e.url() + "/devstoreaccount1;";
  }

  private static RepositoryConfig config(String type, Object backend, String prefix) {
    return switch (type) {
      case "s3" -> new RepositoryConfig(((FakeS3Server) backend).endpoint(), BUCKET, prefix,
          "us-east-1", true, "AK", "SK", null, null, null, null, null);
      case "gcs" -> new RepositoryConfig(((Emulator) backend).url(), BUCKET, prefix, null, null,
          null, null, null, null, null, null, null, null, "gcs",
          new RepositoryConfig.GcsConfig("test", null), null);
      default -> new RepositoryConfig(null, BUCKET, prefix, null, null, null, null, null, null,
          null, null, null, null, "azure",
          null, new RepositoryConfig.AzureConfig(null, null, "AZ_CONN", null));
    };
  }

  private static Secrets secrets(String type, Object backend) {
    if (type.equals("azure")) {
      return new Secrets(Map.of("AZ_CONN", azuriteConnection((Emulator) backend)));
    }
    return new Secrets(Map.of("AK", FakeS3Server.ACCESS_KEY, "SK", FakeS3Server.SECRET_KEY));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(ObjectStore store, String key) throws Exception {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  /**
   * 20 MiB from a generator, streamed through the backup path's PartUploader in 5 MiB parts
   * (four parts and a tail): the store never sees the whole object at once. Read back, it
   * hashes the same; head reports its size; no unfinished upload is left.
   */
  @ParameterizedTest
  @MethodSource("types")
  void aLargeStreamedUploadComesBackWhole(String type) throws Exception {
    Store s = open(type);
    String key = s.key("base/db/full.tar.zst");
    String uploadId = s.store().startUpload(key);
    PartUploader up = new PartUploader(s.store(), key, uploadId, 5 * MIB, 0, null, () -> { });
    Random r = new Random(20);
    byte[] chunk = new byte[64 * 1024 + 7];
    long total = 20L * MIB + 12345;
    for (long sent = 0; sent < total; ) {
      r.nextBytes(chunk);
      int n = (int) Math.min(chunk.length, total - sent);
      up.write(chunk, 0, n);
      sent += n;
    }
    List<String> etags = up.finish();
    assertEquals(5, etags.size(), "20 MiB + tail in 5 MiB parts");
    s.store().completeUpload(key, uploadId, etags);

    assertEquals(total, s.store().head(key).orElseThrow().size());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = s.store().get(key)) {
      byte[] buf = new byte[128 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
    }
    assertEquals(up.sha256Hex(), HexFormat.of().formatHex(sha.digest()));
    assertTrue(s.store().pendingUploads(s.prefix() + "/").isEmpty(), "upload left behind");
    assertEquals(List.of(key), s.store().list(s.prefix() + "/base/"));
  }

  /** An upload that is abandoned is listed as pending and is gone after abortUploads. */
  @ParameterizedTest
  @MethodSource("types")
  void anAbandonedUploadIsListedAndAborted(String type) throws Exception {
    Store s = open(type);
    String key = s.key("base/db/abandoned.tar.zst");
    String uploadId = s.store().startUpload(key);
    byte[] part = new byte[5 * MIB];
    s.store().uploadPart(key, uploadId, 1, part, part.length);
    assertEquals(List.of(new ObjectStore.PendingUpload(key, uploadId)),
        s.store().pendingUploads(s.prefix() + "/"));
    assertEquals(List.of(), s.store().list(s.prefix() + "/"), "parts are not objects");
    assertEquals(1, s.store().abortUploads(s.prefix() + "/"));
    assertEquals(List.of(), s.store().pendingUploads(s.prefix() + "/"));
    assertFalse(s.store().exists(key));
    s.store().abortUpload(key, uploadId); // gone already: not an error
  }

  /**
   * Many small parts: GCS composes at most 32 sources per call, so 70 parts compose in a tree;
   * Azure commits 70 blocks. (S3 needs 5 MiB parts, covered by the streamed test above.)
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"gcs", "azure"})
  void manySmallPartsJoinInOrder(String type) throws Exception {
    Store s = open(type);
    String key = s.key("wal/db/many-parts");
    String uploadId = s.store().startUpload(key);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    List<String> etags = new java.util.ArrayList<>();
    for (int part = 1; part <= 70; part++) {
      byte[] data = bytes(String.format("part %03d;", part).repeat(part));
      byte[] padded = java.util.Arrays.copyOf(data, data.length + 9); // a part is the length
      etags.add(s.store().uploadPart(key, uploadId, part, padded, data.length));
      all.write(data);
    }
    s.store().completeUpload(key, uploadId, etags);
    assertArrayEquals(all.toByteArray(), read(s.store(), key));
    assertEquals(List.of(), s.store().pendingUploads(s.prefix() + "/"));
    assertEquals(List.of(key), s.store().list(s.prefix() + "/"));
  }

  /** A bucket (container) that does not exist is its own failure kind, not a missing key. */
  @ParameterizedTest
  @MethodSource("types")
  void aMissingBucketIsNamed(String type) throws Exception {
    open(type);
    Object backend = BACKENDS.get(type);
    RepositoryConfig good = config(type, backend, "x");
    RepositoryConfig missing = new RepositoryConfig(good.endpoint(), "no-such-bucket",
        good.prefix(), good.region(), good.pathStyle(), good.accessKeyEnv(), good.secretKeyEnv(),
        null, null, null, null, null, null, good.type(), good.gcs(), good.azure());
    try (ObjectStore store = StoreFactory.open(missing, secrets(type, backend))) {
      StorageException e = assertThrows(StorageException.class, () -> store.list("x/"));
      assertEquals(FailureKind.S3_NO_SUCH_BUCKET, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
    }
  }

  /** Listing by prefix in lexical order, delete, delete of a missing key, get of one. */
  @ParameterizedTest
  @MethodSource("types")
  void listDeleteAndMissingKeys(String type) throws Exception {
    Store s = open(type);
    for (String k : List.of("wal/b", "wal/a", "walrus", "base/x")) {
      s.store().put(s.key(k), bytes(k), "application/octet-stream");
    }
    assertEquals(List.of(s.key("wal/a"), s.key("wal/b")), s.store().list(s.key("wal/")));
    assertEquals(4, s.store().list(s.prefix() + "/").size());
    s.store().put(s.key("wal/a"), bytes("again"), "application/octet-stream");
    assertArrayEquals(bytes("again"), read(s.store(), s.key("wal/a")), "put overwrites");
    s.store().delete(s.key("wal/a"));
    s.store().delete(s.key("wal/a"));
    assertEquals(List.of(s.key("wal/b")), s.store().list(s.key("wal/")));
    assertFalse(s.store().exists(s.key("wal/a")));
    assertTrue(s.store().head(s.key("wal/a")).isEmpty());
    assertEquals(FailureKind.BACKUP_NOT_FOUND, assertThrows(StorageException.class,
        () -> read(s.store(), s.key("wal/a"))).kind());
  }

  /**
   * The conditional create that keeps a committed manifest from being overwritten: the second
   * write of the key is refused and changes nothing, the first one's metadata stays readable.
   */
  @ParameterizedTest
  @MethodSource("types")
  void aCommittedObjectIsNeverOverwritten(String type) throws Exception {
    Store s = open(type);
    String key = s.key("manifests/db/20261206T071500Z.json");
    assertTrue(s.store().putIfAbsent(key, bytes("{\"first\":true}"), "application/json",
        Map.of("lifeboat-sha256", "abc", "lifeboat_raw-bytes", "14")));
    assertFalse(s.store().putIfAbsent(key, bytes("{\"second\":true}"), "application/json",
        Map.of("lifeboat-sha256", "def")));
    assertArrayEquals(bytes("{\"first\":true}"), read(s.store(), key));
    ObjectStore.ObjectInfo info = s.store().head(key).orElseThrow();
    assertEquals(14, info.size());
    assertEquals("abc", info.metadata().get("lifeboat-sha256"));
    assertEquals("14", info.metadata().get("lifeboat_raw-bytes"));
    assertTrue(info.lastModified() != null);
  }

  /**
   * The encrypted repository layer on top: a sealed stream uploaded in parts and a sealed small
   * object both open again with the key, and a flipped byte in the stored object is refused.
   */
  @ParameterizedTest
  @MethodSource("types")
  void theEncryptedLayerWorksOnTop(String type, @TempDir Path dir) throws Exception {
    Store s = open(type);
    Path keyFile = dir.resolve("repo.keyset.json");
    RepositoryCipher.generate(keyFile);
    RepositoryCipher cipher = RepositoryCipher.fromFile(keyFile, "test");

    String key = s.key("base/db/sealed.tar.zst.enc");
    String uploadId = s.store().startUpload(key);
    PartUploader up = new PartUploader(s.store(), key, uploadId, 5 * MIB, 0, null, () -> { });
    byte[] plain = new byte[7 * MIB + 5];
    new Random(7).nextBytes(plain);
    try (OutputStream sealed = cipher.seal(up, key)) {
      sealed.write(plain);
    }
    s.store().completeUpload(key, uploadId, up.finish());
    try (InputStream in = cipher.open(s.store().get(key), key, "the test backup")) {
      assertArrayEquals(plain, in.readAllBytes());
    }

    String small = s.key("manifests/db/sealed.json");
    byte[] stored = cipher.seal(bytes("{\"lsn\":\"0/3000000\"}"), small);
    assertTrue(s.store().putIfAbsent(small, stored, "application/octet-stream", Map.of()));
    assertArrayEquals(bytes("{\"lsn\":\"0/3000000\"}"),
        cipher.open(read(s.store(), small), small, "the test manifest"));

    stored[stored.length / 2] ^= 1;
    s.store().put(small, stored, "application/octet-stream");
    byte[] tampered = read(s.store(), small);
    assertThrows(java.io.IOException.class,
        () -> cipher.open(tampered, small, "the tampered manifest"));
  }
}
