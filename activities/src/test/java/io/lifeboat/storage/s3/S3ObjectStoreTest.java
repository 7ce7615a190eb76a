package io.lifeboat.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * S3ObjectStore against {@link FakeS3Server} (an S3 in this process): what the repository's
 * every write and read goes through, which until now only the stack lane (MinIO) ran. Pinned:
 * metadata and sizes through head, the conditional write that makes archiving idempotent,
 * listings across pages, multipart uploads (a part is the given length, not the buffer), and the
 * failure kind each S3 answer becomes (the retry contract hangs on those kinds).
 */
class S3ObjectStoreTest {
  private static final String BUCKET = "lifeboat-test";
  private static final Secrets SECRETS = new Secrets(Map.of(
      "AK", FakeS3Server.ACCESS_KEY, "SK", FakeS3Server.SECRET_KEY, "WRONG", "nobody"));

  private final FakeS3Server s3;
  private final S3ObjectStore store;

  S3ObjectStoreTest() throws Exception {
    s3 = new FakeS3Server(BUCKET);
    store = store(BUCKET, "AK");
  }

  private S3ObjectStore store(String bucket, String accessKeyEnv) {
    return new S3ObjectStore(new RepositoryConfig(s3.endpoint(), bucket, "p", "us-east-1", true,
        accessKeyEnv, "SK", null, null, null, null, null), SECRETS);
  }

  @AfterEach
  void stop() {
    store.close();
    s3.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] read(String key) throws Exception {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  private static FailureKind kindOf(Runnable r) {
    return assertThrows(StorageException.class, r::run).kind();
  }

  /** Pins the round trip: bytes, size and user metadata as head reports them. */
  @Test
  void anObjectComesBackWithItsSizeAndMetadata() throws Exception {
    assertTrue(store.putIfAbsent("p/wal/db/000000010000000000000002", bytes("segment"),
        "application/zstd", Map.of("lifeboat-sha256", "abc", "lifeboat-raw-bytes", "16777216")));
    ObjectStore.ObjectInfo info = store.head("p/wal/db/000000010000000000000002").orElseThrow();
    assertEquals(7, info.size());
    assertEquals("abc", info.metadata().get("lifeboat-sha256"));
    assertEquals("16777216", info.metadata().get("lifeboat-raw-bytes"));
    assertTrue(info.lastModified() != null);
    assertArrayEquals(bytes("segment"), read("p/wal/db/000000010000000000000002"));
    assertTrue(store.exists("p/wal/db/000000010000000000000002"));
    assertFalse(store.exists("p/wal/db/000000010000000000000003"));
    assertTrue(store.head("p/nothing").isEmpty());
  }

  /** Pins the conditional write: a second write to a key is refused (false), not applied. */
  @Test
  void putIfAbsentNeverOverwrites() throws Exception {
    assertTrue(store.putIfAbsent("p/k", bytes("first"), "text/plain", Map.of()));
    assertFalse(store.putIfAbsent("p/k", bytes("second"), "text/plain", Map.of()));
    assertArrayEquals(bytes("first"), read("p/k"));
    store.put("p/k", bytes("third"), "text/plain");   // a plain put does overwrite
    assertArrayEquals(bytes("third"), read("p/k"));
  }

  /** Pins that a listing follows S3's pages to the end and stays inside the prefix, sorted. */
  @Test
  void aListingFollowsEveryPage() {
    s3.pageSize = 2;
    for (String k : List.of("p/full/db/e", "p/full/db/a", "p/full/db/c", "p/full/db/b",
        "p/full/db/d", "p/full/other/x", "q/full/db/z")) {
      store.put(k, bytes(k), "text/plain");
    }
    assertEquals(List.of("p/full/db/a", "p/full/db/b", "p/full/db/c", "p/full/db/d",
        "p/full/db/e"), store.list("p/full/db/"));
    assertEquals(3, s3.requests.stream().filter(r -> r.startsWith("GET /" + BUCKET + "?"))
        .count(), "five keys in pages of two: three requests");
    assertEquals(Long.valueOf(11), store.listSizes("p/full/db/").get("p/full/db/a"));
  }

  /**
   * Pins a multipart upload: parts in order, each exactly {@code length} bytes of its buffer,
   * listed as pending until completed; deletes and aborts of what is gone are quiet.
   */
  @Test
  void aMultipartUploadJoinsItsPartsInOrder() throws Exception {
    String key = "p/full/db/20261205T010000Z/dump.zst";
    String id = store.startUpload(key);
    assertEquals(List.of(new ObjectStore.PendingUpload(key, id)), store.pendingUploads("p/full/"));
    byte[] buffer = bytes("first-part|garbage after the length");
    List<String> etags = List.of(store.uploadPart(key, id, 1, buffer, 11),
        store.uploadPart(key, id, 2, bytes("second"), 6));
    store.completeUpload(key, id, etags);
    assertArrayEquals(bytes("first-part|second"), read(key));
    assertTrue(store.pendingUploads("p/").isEmpty());

    String other = store.startUpload("p/full/db/x");
    store.startUpload("q/elsewhere");
    assertEquals(1, store.abortUploads("p/"));
    assertEquals(1, s3.pendingUploads().size(), "only the prefix's uploads are aborted");
    store.abortUpload("p/full/db/x", other);   // already gone: quiet
    store.delete(key);
    store.delete(key);                          // deleting what is not there: quiet
    assertFalse(store.exists(key));
  }

  /** Pins that reading a missing key is BACKUP_NOT_FOUND (the plan names another backup). */
  @Test
  void aMissingKeyIsBackupNotFound() {
    assertEquals(FailureKind.BACKUP_NOT_FOUND, kindOf(() -> store.get("p/full/db/gone/dump.zst")));
  }

  /** Pins the configuration failures: a wrong bucket and refused credentials, named as such. */
  @Test
  void aWrongBucketOrRefusedCredentialsAreNamed() {
    try (S3ObjectStore wrongBucket = store("no-such-bucket", "AK")) {
      StorageException e = assertThrows(StorageException.class, () -> wrongBucket.list("p/"));
      assertEquals(FailureKind.S3_NO_SUCH_BUCKET, e.kind());
      assertTrue(e.getMessage().contains("no-such-bucket does not exist at " + s3.endpoint()));
    }
    try (S3ObjectStore wrongKey = store(BUCKET, "WRONG")) {
      StorageException e = assertThrows(StorageException.class, () -> wrongKey.list("p/"));
      assertEquals(FailureKind.S3_ACCESS_DENIED, e.kind());
      assertTrue(e.getMessage().contains("check WRONG/SK"), e.getMessage());
    }
  }

  /** Pins that an S3 outage (5xx after the SDK's retries, or no answer) is S3_UNAVAILABLE. */
  @Test
  void anOutageIsUnavailableWhichTemporalRetries() {
    s3.failNext(10, 503, "SlowDown");
    assertEquals(FailureKind.S3_UNAVAILABLE, kindOf(() -> store.put("p/k", bytes("x"),
        "text/plain")));
    s3.failNext(0, 0, null);
    store.put("p/k", bytes("x"), "text/plain");   // and it passes once S3 is back
    s3.close();
    StorageException down = assertThrows(StorageException.class, () -> store.list("p/"));
    assertEquals(FailureKind.S3_UNAVAILABLE, down.kind());
    assertTrue(down.getMessage().contains("is not answering"), down.getMessage());
  }
}
