package io.lifeboat.offsite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.s3.FakeS3Server;
import io.lifeboat.wal.MemoryStore;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One offsite copy run: the primary is the in-memory store, the offsite the real
 * {@link OffsiteBucket} on an S3 in this process ({@link FakeS3Server}). Pinned: only committed
 * backups are copied, data before manifest; a rerun copies nothing again; data that does not
 * match its manifest is refused before its manifest goes offsite; large objects go up in parts
 * with the checksum recorded; WAL needs no manifest; a crashed attempt's uploads are cleaned up.
 */
class ScopeCopyTest {
  private static final String DB = "farmtally";
  private static final String SCOPE = "db/" + DB + "/full/";
  private static final String A = "db/" + DB + "/full/20261205T010000Z/";
  private static final String B = "db/" + DB + "/full/20261206T010000Z/";

  private final MemoryStore primary = new MemoryStore();
  private final FakeS3Server s3;
  private final OffsiteBucket offsite;
  private final List<CopyProgress> beats = new ArrayList<>();

  ScopeCopyTest() throws Exception {
    s3 = new FakeS3Server("offsite");
    offsite = bucket(s3, 16);
  }

  private static OffsiteBucket bucket(FakeS3Server s3, int partSizeMb) {
    return new OffsiteBucket(new OffsiteConfig(s3.endpoint(), "offsite", "o", null, true, "AK",
        "SK", partSizeMb, null, null, null),
        new Secrets(Map.of("AK", FakeS3Server.ACCESS_KEY, "SK", FakeS3Server.SECRET_KEY)));
  }

  @AfterEach
  void stop() {
    offsite.close();
    s3.close();
  }

  private CopyResult copy(OffsiteBucket to, String scope) {
    return new ScopeCopy(primary, to, "p", scope, LockStatus.off(), beats::add).run();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A committed dump: its data, and a manifest naming the data's key and SHA-256. */
  private void committed(String dir, byte[] data, String declaredSha) {
    primary.put("p/" + dir + "dump.zst", data, "application/zstd");
    primary.put("p/" + dir + "manifest.json", bytes("{\"objectKey\":\"p/" + dir + "dump.zst\","
        + "\"sha256\":\"" + declaredSha + "\"}"), "application/json");
  }

  private List<String> puts() {
    return s3.requests.stream().filter(r -> r.startsWith("PUT ") || r.startsWith("POST "))
        .map(r -> r.substring(r.indexOf(' ') + 1)).toList();
  }

  /** Pins what is copied (committed backups only) and in which order (data, then manifest). */
  @Test
  void committedBackupsAreCopiedDataFirstAndIncompleteOnesAreLeft() {
    byte[] data = bytes("a dump");
    committed(A, data, ScopeCopy.sha256(data));
    primary.put("p/" + B + "dump.zst", bytes("no manifest yet"), "application/zstd");

    CopyResult r = copy(offsite, SCOPE);

    assertEquals(2, r.copied());
    assertEquals(List.of(A), r.backupsCopied());
    assertEquals(List.of(B), r.incomplete());
    assertEquals(List.of("/offsite/o/" + A + "dump.zst", "/offsite/o/" + A + "manifest.json"),
        puts(), "the data goes first, the manifest last");
    FakeS3Server.Obj stored = s3.objects.get("o/" + A + "dump.zst");
    assertArrayEquals(data, stored.body());
    assertEquals(ScopeCopy.sha256(data), stored.meta().get(OffsiteLayout.META_COPY_SHA256));
    assertFalse(s3.objects.containsKey("o/" + B + "dump.zst"));
    assertFalse(beats.isEmpty(), "it heartbeats");
  }

  /** Pins "never what it has": same size and recorded SHA-256 means skipped, nothing written. */
  @Test
  void aRerunCopiesNothingAgain() {
    byte[] data = bytes("a dump");
    committed(A, data, ScopeCopy.sha256(data));
    copy(offsite, SCOPE);
    int writes = puts().size();

    CopyResult again = copy(offsite, SCOPE);

    assertEquals(0, again.copied());
    assertEquals(2, again.skipped());
    assertEquals(writes, puts().size());
  }

  /** Pins that an offsite copy without a recorded checksum is not trusted: written again. */
  @Test
  void anOffsiteObjectWithoutItsRecordedChecksumIsCopiedAgain() {
    byte[] data = bytes("a dump");
    committed(A, data, ScopeCopy.sha256(data));
    offsite.put("o/" + A + "dump.zst", bytes("sixsix"), "application/zstd", Map.of(), null);

    CopyResult r = copy(offsite, SCOPE);

    assertEquals(2, r.copied());
    assertArrayEquals(data, s3.objects.get("o/" + A + "dump.zst").body());
  }

  /** Pins the refusal: data that does not match its manifest stops the run, manifest unsent. */
  @Test
  void dataThatDoesNotMatchItsManifestIsRefusedAndTheManifestStaysHome() {
    committed(A, bytes("a dump, one byte flipped"), ScopeCopy.sha256(bytes("a dump")));

    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> copy(offsite, SCOPE));

    assertEquals(FailureKind.BACKUP_CORRUPT.type(), f.getType());
    assertTrue(f.getOriginalMessage().contains("not copied offsite"), f.getOriginalMessage());
    assertTrue(s3.objects.isEmpty(), "neither the data nor its manifest went offsite");
  }

  /** Pins the multipart path: the object whole, its checksum recorded, no upload left over. */
  @Test
  void aLargeObjectGoesUpInPartsWithItsChecksum() throws Exception {
    try (FakeS3Server big = new FakeS3Server("offsite")) {
      OffsiteBucket small = bucket(big, 1);
      byte[] data = new byte[(int) (2.5 * 1024 * 1024)];
      new java.util.Random(7).nextBytes(data);
      committed(A, data, ScopeCopy.sha256(data));

      CopyResult r = copy(small, SCOPE);

      assertEquals(2, r.copied());
      assertEquals(data.length + (long) s3Size(big, "o/" + A + "manifest.json"), r.bytesCopied());
      FakeS3Server.Obj stored = big.objects.get("o/" + A + "dump.zst");
      assertArrayEquals(data, stored.body());
      assertEquals(ScopeCopy.sha256(data), stored.meta().get(OffsiteLayout.META_COPY_SHA256));
      assertEquals(3, big.requests.stream().filter(q -> q.contains("partNumber")).count(),
          "2.5 MiB in 1 MiB parts");
      assertTrue(big.pendingUploads().isEmpty());
      small.close();
    }
  }

  private static int s3Size(FakeS3Server s3, String key) {
    return s3.objects.get(key).body().length;
  }

  /** Pins that WAL is copied object by object, without waiting for a manifest. */
  @Test
  void walNeedsNoManifest() {
    primary.put("p/wal/" + DB + "/000000010000000000000002", bytes("w2"), "application/zstd");
    primary.put("p/wal/" + DB + "/000000010000000000000003", bytes("w3"), "application/zstd");

    CopyResult r = copy(offsite, "wal/" + DB + "/");

    assertEquals(2, r.copied());
    assertTrue(r.incomplete().isEmpty());
    assertTrue(s3.objects.containsKey("o/wal/" + DB + "/000000010000000000000003"));
  }

  /** Pins the cleanup: uploads older than a day (a crashed attempt's) go, a running one stays. */
  @Test
  void aCrashedAttemptsUploadsAreAbortedAndARunningOneIsLeft() {
    s3.startedUpload("o/" + A + "dump.zst", Instant.now().minus(Duration.ofDays(2)));
    s3.startedUpload("o/" + B + "dump.zst", Instant.now().minus(Duration.ofMinutes(5)));

    copy(offsite, SCOPE);

    assertEquals(List.of("o/" + B + "dump.zst"), List.copyOf(s3.pendingUploads().keySet()));
  }
}
