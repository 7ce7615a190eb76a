package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The base backup's orchestration against fake activities, on a time-skipping test server. */
class BaseBackupWorkflowTest {
  static final Instant START = Instant.parse("2026-11-22T03:00:00Z");
  static final String DB = "farmtally_production";
  static final String QUEUE = "base-test";

  private TestWorkflowEnvironment env;
  private Worker worker;

  /** Records calls; each step can be told to fail. */
  static class Fake implements BaseBackupActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    ApplicationFailure streamFailure;
    int streamFailuresLeft;
    ApplicationFailure retentionFailure;
    BaseBackupManifest committed;
    final AtomicInteger streamAttempts = new AtomicInteger();

    @Override
    public BaseClusterFacts assessCluster(DatabaseConfig database) {
      calls.add("assessCluster");
      return new BaseClusterFacts("15.8", true, 2_000_000_000L);
    }

    @Override
    public BaseStreamResult streamAndVerify(BaseStreamRequest r) {
      calls.add("streamAndVerify");
      streamAttempts.incrementAndGet();
      if (streamFailure != null && streamFailuresLeft-- > 0) throw streamFailure;
      return new BaseStreamResult(r.objectKey(), 2_100_000_000L, 300_000_000L, "ab".repeat(32),
          "zstd level 3, 2 workers", START.toEpochMilli(), START.toEpochMilli() + 60_000,
          "0/5000028", "0/5000100", 1, "000000010000000000000005", "000000010000000000000005",
          16 * 1024 * 1024, "15", "7710770193002803699", "pg_basebackup (PostgreSQL) 15.8",
          "pg_verifybackup passed");
    }

    @Override
    public void verifyStored(BaseVerifyStoredRequest request) {
      calls.add("verifyStored");
    }

    @Override
    public void commitBaseManifest(RepositoryConfig repository, BaseBackupManifest manifest) {
      calls.add("commitBaseManifest");
      committed = manifest;
    }

    @Override
    public BaseRetentionResult applyBaseRetention(BaseRetentionRequest request) {
      calls.add("applyBaseRetention");
      if (retentionFailure != null) throw retentionFailure;
      return new BaseRetentionResult(List.of("20261101T030000Z"), "000000010000000000000005", 7);
    }

    @Override
    public void discardIncompleteBase(DiscardRequest request) {
      calls.add("discardIncompleteBase");
    }
  }

  @BeforeEach
  void setUp() {
    TestEnvironmentOptions.Builder o = TestEnvironmentOptions.newBuilder().setInitialTime(START);
    for (var key : LifeboatSearchAttributes.ALL) {
      o.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(o.build());
    worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BaseBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private BaseBackupWorkflow start(Fake fake, Object... more) {
    worker.registerActivitiesImplementations(fake);
    if (more.length > 0) worker.registerActivitiesImplementations(more);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(BaseBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("base-test").setTaskQueue(QUEUE).build());
  }

  static BaseBackupRequest request() {
    return new BaseBackupRequest(
        new DatabaseConfig(DB, "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null, null),
        new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", "lifeboat", null, null,
            "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY", null, null, null, null, null),
        CompressionConfig.DEFAULT, WalConfig.DEFAULT,
        new RetryConfig(3, 1, 2));
  }

  private String outcome() {
    return env.getWorkflowClient().newUntypedWorkflowStub("base-test").describe()
        .getTypedSearchAttributes().get(LifeboatSearchAttributes.OUTCOME);
  }

  @Test
  void commitsAVerifiedManifestAfterEveryStepInOrder() {
    Fake f = new Fake();
    BaseBackupWorkflow wf = start(f);
    BaseBackupResult r = wf.backup(request());
    assertEquals(List.of("assessCluster", "streamAndVerify", "verifyStored",
        "commitBaseManifest", "applyBaseRetention"), f.calls);
    BaseBackupManifest m = r.manifest();
    assertTrue(m.backupId().startsWith("20261122T0300"), m.backupId());
    assertEquals(RepositoryLayout.baseTarKey("lifeboat", DB, m.backupId()), m.objectKey());
    assertEquals("000000010000000000000005", m.startWalSegment());
    assertEquals(1, m.timeline());
    assertTrue(m.verified());
    assertEquals(BaseBackupManifest.KIND, m.kind());
    assertEquals(m, f.committed);
    assertEquals(7, r.retention().walFilesRemoved());
    assertNull(r.retentionWarning());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }

  private static BaseBackupRequest notifying() {
    BaseBackupRequest r = request();
    return new BaseBackupRequest(r.database(), r.repository(), r.compression(), r.wal(),
        r.retry(), null, null, null, io.lifeboat.notify.RecordingNotifications.TARGET);
  }

  @Test
  void notifiesStartedThenFinishedWithBytesAndDuration() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    BaseBackupResult r = start(new Fake(), news).backup(notifying());
    var f = news.assertStartedThenFinished("db-base", DB, r.manifest().backupId());
    assertEquals("300000000", f.details().get("Stored bytes"));
    assertEquals("2100000000", f.details().get("Raw bytes"));
    assertTrue(f.text().contains("286.1 MB"), f.text());
  }

  @Test
  void notifiesStartedThenFailedWithTheKindAndCause() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    Fake f = new Fake();
    f.streamFailure = FailureKind.BASE_VERIFY_FAILED.failure("pg_verifybackup rejects it");
    f.streamFailuresLeft = 99;
    BaseBackupWorkflow wf = start(f, news);
    assertThrows(WorkflowFailedException.class, () -> wf.backup(notifying()));
    var n = news.assertStartedThenFailed("db-base", DB, "stream-and-verify",
        FailureKind.BASE_VERIFY_FAILED.type(), "pg_verifybackup rejects it");
    assertTrue(n.text().contains(FailureKind.BASE_VERIFY_FAILED.hint()), n.text());
  }

  @Test
  void verificationFailureIsNotRetriedCommitsNothingAndDiscards() {
    Fake f = new Fake();
    f.streamFailure = FailureKind.BASE_VERIFY_FAILED.failure("pg_verifybackup rejects it");
    f.streamFailuresLeft = 99;
    BaseBackupWorkflow wf = start(f);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.backup(request()));
    ApplicationFailure app = assertInstanceOf(ApplicationFailure.class,
        assertInstanceOf(ActivityFailure.class, e.getCause()).getCause());
    assertEquals(FailureKind.BASE_VERIFY_FAILED.type(), app.getType());
    assertEquals(1, f.streamAttempts.get(), "non-retryable: one attempt");
    assertFalse(f.calls.contains("commitBaseManifest"));
    assertTrue(f.calls.contains("discardIncompleteBase"));
    assertNull(f.committed);
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome());
  }

  @Test
  void retryableStreamFailureIsRetriedThenCommits() {
    Fake f = new Fake();
    f.streamFailure = FailureKind.PG_UNAVAILABLE.failure("PostgreSQL restarting");
    f.streamFailuresLeft = 1;
    BaseBackupResult r = start(f).backup(request());
    assertEquals(2, f.streamAttempts.get());
    assertNotNull(r.manifest());
    assertFalse(f.calls.contains("discardIncompleteBase"));
  }

  @Test
  void failedRetentionLeavesTheCommittedBackupGoodWithAWarning() {
    Fake f = new Fake();
    f.retentionFailure = FailureKind.S3_ACCESS_DENIED.failure("no delete permission");
    BaseBackupResult r = start(f).backup(request());
    assertNotNull(f.committed);
    assertNotNull(r.retentionWarning());
    assertTrue(r.retentionWarning().contains("no delete permission"), r.retentionWarning());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }
}
