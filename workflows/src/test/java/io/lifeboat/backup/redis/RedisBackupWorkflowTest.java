package io.lifeboat.backup.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order of a Redis backup, and no manifest when a step fails (the discard runs). */
class RedisBackupWorkflowTest {
  private TestWorkflowEnvironment env;
  private Worker worker;

  static final class Fake implements RedisBackupActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    boolean corrupt;
    boolean aofCorrupt;
    RedisManifest manifest;
    RedisAofVerifyRequest aofVerify;

    @Override
    public RedisFacts redisAssess(RedisConfig redis) {
      calls.add("assess");
      return new RedisFacts("7.0.15", 3, 1000);
    }

    @Override
    public RedisSnapshotResult redisSnapshotToRepository(RedisSnapshotRequest r) {
      calls.add("snapshot");
      RedisFacts f = new RedisFacts("7.0.15", 3, 1000);
      return new RedisSnapshotResult(r.objectKey(), 100, 60, "ab", "zstd", f, f, 1, 2, "7.0.15");
    }

    @Override
    public RedisVerifyResult redisVerifyStoredSnapshot(RedisVerifyRequest r) {
      calls.add("verify");
      if (corrupt) throw FailureKind.BACKUP_CORRUPT.failure("flipped byte");
      assertEquals(3, r.minKeys());
      return new RedisVerifyResult("ab", 60, 3, 3, "redis-check-rdb: RDB looks OK");
    }

    @Override
    public RedisAofResult redisAofToRepository(RedisAofRequest r) {
      calls.add("aof-copy");
      RedisFacts f = new RedisFacts("7.0.15", 3, 1000, 42L);
      return new RedisAofResult(r.objectKey(), "appendonlydir", List.of("appendonly.aof.manifest"),
          200, 90, "cd", 1, null, f, f);
    }

    @Override
    public RedisAofVerifyResult redisVerifyStoredAof(RedisAofVerifyRequest r) {
      calls.add("verify-aof");
      aofVerify = r;
      if (aofCorrupt) throw FailureKind.BACKUP_CORRUPT.failure("flipped AOF byte");
      return new RedisAofVerifyResult("cd", 90, 3, 3, true, "redis-check-aof: valid");
    }

    @Override
    public void redisCommitManifest(RepositoryConfig repository, RedisManifest manifest) {
      calls.add("commit");
      this.manifest = manifest;
    }

    @Override
    public List<String> redisApplyRetention(RedisRetentionRequest request) {
      calls.add("retention");
      return List.of();
    }

    @Override
    public void redisDiscardIncomplete(RedisDiscardRequest request) {
      calls.add("discard");
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T02:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(RedisBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RedisBackupWorkflow start(Fake fake, Object... more) {
    worker.registerActivitiesImplementations(fake);
    if (more.length > 0) worker.registerActivitiesImplementations(more);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(RedisBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("redis-backup-cache-test")
            .setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static RedisBackupRequest request() {
    return new RedisBackupRequest(
        new RedisConfig("cache", null, null, null, null, "/var/lib/redis", true, null),
        new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
            null, null, null, null),
        new CompressionConfig(3, null), 30, new RetryConfig(2, 1, 1));
  }

  @Test
  void snapshotIsVerifiedBeforeTheManifestIsWritten() {
    Fake fake = new Fake();
    RedisBackupResult r = start(fake).backup(request());
    assertEquals(List.of("assess", "snapshot", "aof-copy", "verify", "verify-aof", "commit",
        "retention"), fake.calls);
    assertEquals(3, r.manifest().keys());
    assertTrue(r.manifest().aof().objectKey().endsWith("/appendonlydir.tar.zst"),
        r.manifest().aof().objectKey());
    assertEquals("cd", fake.manifest.aof().sha256());
    assertEquals(r.manifest().objectKey(), fake.aofVerify.rdbKey());
    assertTrue(fake.aofVerify.dirName().equals("appendonlydir"));
    assertTrue(r.manifest().objectKey().startsWith("p/redis/cache/"), r.manifest().objectKey());
  }

  private static RedisBackupRequest notifying() {
    RedisBackupRequest r = request();
    return new RedisBackupRequest(r.redis(), r.repository(), r.compression(), r.retentionDays(),
        r.retry(), null, null, io.lifeboat.notify.RecordingNotifications.TARGET);
  }

  @Test
  void notifiesStartedThenFinishedWithBytesAndDuration() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    RedisBackupResult r = start(new Fake(), news).backup(notifying());
    var f = news.assertStartedThenFinished("redis", "cache", r.manifest().backupId());
    assertEquals("60", f.details().get("Stored bytes"));
    assertEquals("100", f.details().get("Raw bytes"));
  }

  @Test
  void notifiesStartedThenFailedWithTheKindAndCause() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    Fake fake = new Fake();
    fake.corrupt = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake, news).backup(notifying()));
    news.assertStartedThenFailed("redis", "cache", "verify", FailureKind.BACKUP_CORRUPT.type(),
        "flipped byte");
  }

  @Test
  void aFailedVerificationCommitsNothingAndDiscards() {
    Fake fake = new Fake();
    fake.corrupt = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake).backup(request()));
    assertEquals(List.of("assess", "snapshot", "aof-copy", "verify", "discard"), fake.calls);
  }

  @Test
  void aFailedAofVerificationCommitsNothingAndDiscards() {
    Fake fake = new Fake();
    fake.aofCorrupt = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake).backup(request()));
    assertEquals(List.of("assess", "snapshot", "aof-copy", "verify", "verify-aof", "discard"),
        fake.calls);
  }

  @Test
  void withoutAppendonlyOnlyTheRdbIsStored() {
    Fake fake = new Fake();
    RedisBackupRequest r = request();
    RedisBackupRequest rdbOnly = new RedisBackupRequest(
        new RedisConfig("cache", null, null, null, null, "/var/lib/redis", false, null),
        r.repository(), r.compression(), r.retentionDays(), r.retry());
    RedisBackupResult res = start(fake).backup(rdbOnly);
    assertEquals(List.of("assess", "snapshot", "verify", "commit", "retention"), fake.calls);
    assertEquals(null, res.manifest().aof());
  }
}
