package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.offsite.OffsiteActivitiesImpl;
import io.lifeboat.offsite.OffsiteBucket;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.offsite.OffsiteRetentionRequest;
import io.lifeboat.offsite.OffsiteRetentionResult;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock against a real server that has it (s3proxy has not): a MinIO of the test's
 * own with a bucket created with Object Lock as the offsite. A backup's offsite copy and
 * `offsite sync` lock every copied object for objectLock.days; the server refuses to delete a
 * locked version; the offsite retention leaves a locked copy alone (and says why), reports a
 * refused delete clearly, and removes every version once the lock has run out.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class OffsiteObjectLockEndToEndTest {
  private static final String BUCKET = "farmtally-offsite-locked";

  private RealStack stack;
  private MinioServer minio;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    minio = new MinioServer();
    minio.createLockedBucket(BUCKET);
  }

  @AfterEach
  void down() throws Exception {
    try {
      stack.close();
    } finally {
      minio.close();
    }
  }

  private String backup(Map<String, String> env, String db, Path config) throws Exception {
    List<String> before = manifests();
    RealStack.Run run = stack.cli(env, "backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> added = new ArrayList<>(manifests());
    added.removeAll(before);
    assertEquals(1, added.size(), added.toString());
    try (InputStream in = stack.store().get(added.get(0))) {
      return json.readTree(in).get("backupId").asText();
    }
  }

  private List<String> manifests() {
    return stack.keys().stream().filter(k -> k.endsWith("/manifest.json")).toList();
  }

  /** The offsite copy runs after the backup returned: wait for it by its workflow id. */
  private CopyRecord awaitCopy(String db, String backupId) {
    return stack.temporal().client()
        .newUntypedWorkflowStub("offsite-db-full-" + db + "-" + backupId)
        .getResult(CopyRecord.class);
  }

  /** Every version (and delete marker) under the prefix, as "key@versionId". */
  private List<ObjectVersion> versions(S3Client s3, String prefix) {
    List<ObjectVersion> out = new ArrayList<>();
    for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(BUCKET).prefix(prefix))) {
      out.addAll(page.versions());
      assertTrue(page.deleteMarkers().isEmpty(), "no delete markers: " + page.deleteMarkers());
    }
    return out;
  }

  @Test
  void copiesAreLockedTheServerRefusesDeletesRetentionWaitsForTheLock() throws Exception {
    Map<String, String> env = minio.env();
    stack.startWorker(env);
    String db = stack.createDatabase("lock", 300);
    Path config = stack.config("objlock", root -> {
      RealStack.addDatabase(root, db);
      var o = minio.addOffsiteTo(root, BUCKET);
      o.putObject("objectLock").put("mode", "GOVERNANCE").put("days", 1);
      // The shortest policy the config allows: what is older than a day goes, but the newest.
      o.putObject("retention").put("days", 1).put("monthly", 0);
    });
    OffsiteConfig offsite = new ConfigLoader().load(config).offsite();

    // Two backups, each followed by its offsite copy, then a sync and the deep check.
    Instant firstCopyAt = Instant.now();
    String first = backup(env, db, config);
    CopyRecord copy = awaitCopy(db, first);
    assertEquals("GOVERNANCE 1 days", copy.objectLock(), copy.toString());
    assertEquals(2, copy.copied(), copy.toString());
    assertEquals(2, copy.verified(), copy.toString());
    String second = backup(env, db, config);
    assertEquals("GOVERNANCE 1 days", awaitCopy(db, second).objectLock());
    RealStack.Run sync = stack.cli(env, "offsite", "sync", "--wait", "--json", "--config",
        config.toString());
    assertEquals(0, sync.exit(), sync.out() + sync.err());
    JsonNode synced = json.readTree(sync.out());
    assertEquals("GOVERNANCE 1 days", synced.get("objectLock").asText(), sync.out());
    assertEquals(0, synced.get("copied").asInt(), sync.out());
    assertEquals(0, synced.get("expired").size(), sync.out());
    RealStack.Run verify = stack.cli(env, "offsite", "verify", "--config", config.toString());
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    Instant copiedBy = Instant.now();

    String firstDir = stack.prefix + "/db/" + db + "/full/" + first + "/";
    String secondDir = stack.prefix + "/db/" + db + "/full/" + second + "/";
    try (S3Client s3 = minio.client()) {
      // Every copied object (records of runs are not copies) is locked for about a day.
      List<ObjectVersion> copied = versions(s3, stack.prefix + "/db/");
      assertEquals(4, copied.size(), copied.toString());
      for (ObjectVersion v : copied) {
        var retention = s3.getObjectRetention(b -> b.bucket(BUCKET).key(v.key())
            .versionId(v.versionId())).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, retention.mode(), v.key());
        Instant until = retention.retainUntilDate();
        assertFalse(until.isBefore(firstCopyAt.plus(Duration.ofDays(1)).minusSeconds(5)),
            v.key() + " until " + until);
        assertFalse(until.isAfter(copiedBy.plus(Duration.ofDays(1)).plusSeconds(5)),
            v.key() + " until " + until);
      }

      // The server refuses to delete a locked version, whoever asks (root, no bypass).
      ObjectVersion dump = copied.stream().filter(v -> v.key().startsWith(firstDir)
          && !v.key().endsWith("/manifest.json")).findFirst().orElseThrow();
      S3Exception refused = assertThrows(S3Exception.class, () -> s3.deleteObject(b ->
          b.bucket(BUCKET).key(dump.key()).versionId(dump.versionId())));
      // MinIO: 400 InvalidRequest "Object is WORM protected"; AWS: 403 AccessDenied.
      assertTrue(refused.statusCode() == 400 || refused.statusCode() == 403, refused.toString());
      assertTrue(s3.headObject(b -> b.bucket(BUCKET).key(dump.key()).versionId(dump.versionId()))
          .contentLength() > 0, "the version is still there");

      // Our own delete says so in one line, typed OFFSITE_LOCKED, and leaves no delete marker.
      try (OffsiteBucket bucket = new OffsiteBucket(offsite, new Secrets(env))) {
        StorageException e = assertThrows(StorageException.class, () -> bucket.delete(dump.key()));
        assertEquals(FailureKind.OFFSITE_LOCKED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("is under Object Lock (GOVERNANCE until ")
            && e.getMessage().contains("refused"), e.getMessage());
      }
      assertEquals(4, versions(s3, stack.prefix + "/db/").size());

      // `offsite list` shows each copy's lock.
      RealStack.Run list = stack.cli(env, "offsite", "list", "--json", "--config",
          config.toString());
      assertEquals(0, list.exit(), list.out() + list.err());
      JsonNode backups = json.readTree(list.out()).get("backups");
      assertEquals(2, backups.size(), list.out());
      for (JsonNode b : backups) {
        assertTrue(b.get("lock").asText().startsWith("GOVERNANCE until "), list.out());
      }
      list = stack.cli(env, "offsite", "list", "--config", config.toString());
      assertTrue(list.out().contains("locked: GOVERNANCE until "), list.out());

      // Retention two days from now (a clock we control): the policy expires the first copy,
      // but its lock still holds, so nothing is even tried: it is kept, with the reason.
      try (OffsiteActivitiesImpl activities =
          new OffsiteActivitiesImpl(new StoreFactory(new Secrets(env)), new Secrets(env))) {
        long inTwoDays = Instant.now().plus(Duration.ofDays(2)).toEpochMilli();
        OffsiteRetentionRequest retention = new OffsiteRetentionRequest(offsite, stack.prefix,
            "db/", inTwoDays);
        OffsiteRetentionResult kept = activities.applyRetention(retention);
        assertEquals(List.of(), kept.expired(), kept.toString());
        assertEquals(1, kept.skipped().size(), kept.toString());
        String why = kept.skipped().get(0);
        assertTrue(why.startsWith("db/" + db + "/full/" + first + "/: kept by Object Lock"
            + " (GOVERNANCE until "), why);
        assertEquals(4, versions(s3, stack.prefix + "/db/").size(), "nothing deleted");

        // The lock runs out: an administrator shortens it (GOVERNANCE allows that with the
        // bypass permission) to a moment from now, and we wait for that moment to pass.
        Instant soon = Instant.now().plusSeconds(3);
        for (ObjectVersion v : versions(s3, firstDir)) {
          s3.putObjectRetention(b -> b.bucket(BUCKET).key(v.key()).versionId(v.versionId())
              .bypassGovernanceRetention(true).retention(r -> r
                  .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(soon)));
        }
        while (!Instant.now().isAfter(soon.plusSeconds(1))) Thread.sleep(200);
        OffsiteRetentionResult expired = activities.applyRetention(retention);
        assertEquals(List.of("db/" + db + "/full/" + first + "/"), expired.expired(),
            expired.toString());
        assertEquals(List.of(), expired.skipped(), expired.toString());
      }
      // Every version of the expired copy is gone (a plain DELETE would have left them behind
      // a delete marker); the newest copy stays, still locked.
      assertEquals(List.of(), versions(s3, firstDir));
      List<ObjectVersion> left = versions(s3, stack.prefix + "/db/");
      assertEquals(2, left.size(), left.toString());
      assertTrue(left.stream().allMatch(v -> v.key().startsWith(secondDir)), left.toString());
      assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(stack.prefix + "/"
          + OffsiteLayout.RECORDS)).keyCount() > 0, "the runs' records are stored offsite too");

      // Rot on a locked copy: a lock protects versions, not keys, so a bad new version can
      // land on top. `verify --repair` removes it, cannot remove the locked versions, hides
      // the key behind a delete marker instead, and the next sync copies it afresh.
      String dumpKey = left.stream().map(ObjectVersion::key)
          .filter(k -> !k.endsWith("/manifest.json")).findFirst().orElseThrow();
      Map<String, String> recorded = s3.headObject(b -> b.bucket(BUCKET).key(dumpKey)).metadata();
      s3.putObject(b -> b.bucket(BUCKET).key(dumpKey).metadata(recorded),
          software.amazon.awssdk.core.sync.RequestBody.fromString("bit rot"));
      RealStack.Run deep = stack.cli(env, "offsite", "verify", "--config", config.toString());
      assertEquals(1, deep.exit(), deep.out() + deep.err());
      deep = stack.cli(env, "offsite", "verify", "--repair", "--config", config.toString());
      assertEquals(1, deep.exit(), deep.out() + deep.err());
      assertEquals(0, s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(secondDir)).keyCount(),
          "both hidden");
      RealStack.Run resync = stack.cli(env, "offsite", "sync", "--wait", "--json", "--config",
          config.toString());
      assertEquals(0, resync.exit(), resync.out() + resync.err());
      // The repaired copy, and the expired one too: the primary still holds it, and a sync
      // copies whatever the offsite lacks.
      JsonNode resynced = json.readTree(resync.out());
      assertEquals(4, resynced.get("copied").asInt(), resync.out());
      assertTrue(resynced.get("backupsCopied").toString().contains(second), resync.out());
      deep = stack.cli(env, "offsite", "verify", "--config", config.toString());
      assertEquals(0, deep.exit(), deep.out() + deep.err());
      var all = s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(secondDir));
      assertEquals(4, all.versions().size(), "the two locked originals and the two new copies");
      assertEquals(2, all.deleteMarkers().size(), all.toString());
    }
  }

  /**
   * COMPLIANCE mode, on a bucket of its own: nobody may shorten or lift the lock, not even with
   * the governance bypass header, so every delete of a copy is refused, ours typed
   * OFFSITE_LOCKED with one clear line, and a write over the key cannot replace the locked
   * version. One day's retention is enough: MinIO's data directory goes with the test.
   */
  @Test
  void complianceLockedCopiesCannotBeDeletedOrReplacedEvenWithTheBypassHeader() throws Exception {
    String bucket = "farmtally-offsite-compliance";
    minio.createLockedBucket(bucket);
    Map<String, String> env = minio.env();
    stack.startWorker(env);
    String db = stack.createDatabase("comply", 300);
    Path config = stack.config("compliance", root -> {
      RealStack.addDatabase(root, db);
      minio.addOffsiteTo(root, bucket).putObject("objectLock").put("mode", "COMPLIANCE")
          .put("days", 1);
    });
    OffsiteConfig offsite = new ConfigLoader().load(config).offsite();
    Instant before = Instant.now();
    String id = backup(env, db, config);
    CopyRecord copy = awaitCopy(db, id);
    assertEquals("COMPLIANCE 1 days", copy.objectLock(), copy.toString());
    assertEquals(2, copy.copied(), copy.toString());

    String dir = stack.prefix + "/db/" + db + "/full/" + id + "/";
    try (S3Client s3 = minio.client();
         OffsiteBucket ours = new OffsiteBucket(offsite, new Secrets(env))) {
      List<ObjectVersion> copied = new ArrayList<>();
      s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(dir))
          .forEach(page -> copied.addAll(page.versions()));
      assertEquals(2, copied.size(), copied.toString());
      ObjectVersion dump = copied.stream().filter(v -> !v.key().endsWith("/manifest.json"))
          .findFirst().orElseThrow();
      var retention = s3.getObjectRetention(b -> b.bucket(bucket).key(dump.key())
          .versionId(dump.versionId())).retention();
      assertEquals(ObjectLockRetentionMode.COMPLIANCE, retention.mode());
      assertFalse(retention.retainUntilDate().isBefore(before.plus(Duration.ofDays(1))
          .minusSeconds(5)), retention.toString());
      byte[] original = s3.getObjectAsBytes(b -> b.bucket(bucket).key(dump.key())
          .versionId(dump.versionId())).asByteArray();

      // The server refuses a delete of the version, with or without the bypass header (which
      // lifts a GOVERNANCE lock for a permitted user, and never a COMPLIANCE one).
      for (boolean bypass : List.of(false, true)) {
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.deleteObject(b ->
            b.bucket(bucket).key(dump.key()).versionId(dump.versionId())
                .bypassGovernanceRetention(bypass)), "bypass " + bypass);
        assertTrue(refused.statusCode() == 400 || refused.statusCode() == 403,
            refused.toString());
      }
      // Nor may the lock be shortened, bypass or not.
      Instant soon = Instant.now().plusSeconds(3);
      for (boolean bypass : List.of(false, true)) {
        assertThrows(S3Exception.class, () -> s3.putObjectRetention(b -> b.bucket(bucket)
            .key(dump.key()).versionId(dump.versionId()).bypassGovernanceRetention(bypass)
            .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(soon))),
            "shorten with bypass " + bypass);
      }

      // Our delete: one line, typed, naming the lock and its date.
      StorageException e = assertThrows(StorageException.class, () -> ours.delete(dump.key()));
      assertEquals(FailureKind.OFFSITE_LOCKED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().startsWith(dump.key() + " is under Object Lock (COMPLIANCE until ")
          && e.getMessage().contains("): the offsite server refused to delete it ("),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());

      // A write over the key lands as a new version on top; the locked one stays as it was,
      // and deleting the key still stops at it, typed the same way.
      ours.put(dump.key(), "not a dump".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "application/octet-stream", Map.of(), (io.lifeboat.offsite.LockStatus) null);
      StorageException again = assertThrows(StorageException.class, () -> ours.delete(dump.key()));
      assertEquals(FailureKind.OFFSITE_LOCKED, again.kind(), again.getMessage());
      assertTrue(again.getMessage().contains("(COMPLIANCE until "), again.getMessage());
      assertTrue(java.util.Arrays.equals(original, s3.getObjectAsBytes(b -> b.bucket(bucket)
          .key(dump.key()).versionId(dump.versionId())).asByteArray()),
          "the locked version is unchanged");

      // The offsite retention, two days on, would expire nothing: the copy is the newest, and
      // a locked copy is kept with the reason rather than attempted.
      try (OffsiteActivitiesImpl activities =
          new OffsiteActivitiesImpl(new StoreFactory(new Secrets(env)), new Secrets(env))) {
        OffsiteRetentionResult kept = activities.applyRetention(new OffsiteRetentionRequest(
            offsite, stack.prefix, "db/", Instant.now().plus(Duration.ofDays(2)).toEpochMilli()));
        assertEquals(List.of(), kept.expired(), kept.toString());
      }
      assertTrue(s3.headObject(b -> b.bucket(bucket).key(dump.key()).versionId(dump.versionId()))
          .contentLength() > 0, "still there");
    }
  }
}
