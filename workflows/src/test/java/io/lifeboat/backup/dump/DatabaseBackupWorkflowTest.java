package io.lifeboat.backup.dump;

import static io.lifeboat.backup.dump.BackupTestSupport.DB;
import static io.lifeboat.backup.dump.BackupTestSupport.START;
import static io.lifeboat.backup.dump.BackupTestSupport.WORKFLOW_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.StepTiming;
import io.lifeboat.host.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabaseBackupWorkflowTest {
  private static final List<String> HAPPY_ORDER = List.of(
      "assess", "dumpToRepository", "verifyStoredDump", "commitManifest", "applyRetention");

  private TestWorkflowEnvironment testEnv;
  private Worker worker;

  @BeforeEach
  void setUp() {
    testEnv = BackupTestSupport.newEnvironment();
    worker = testEnv.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    testEnv.close();
  }

  private DatabaseBackupWorkflow start(FakeBackupActivities fake) {
    worker.registerActivitiesImplementations(fake);
    testEnv.start();
    return testEnv.getWorkflowClient()
        .newWorkflowStub(DatabaseBackupWorkflow.class, BackupTestSupport.workflowOptions());
  }

  private WorkflowExecutionDescription describe() {
    return testEnv.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID).describe();
  }

  private String outcome() {
    return describe().getTypedSearchAttributes().get(LifeboatSearchAttributes.OUTCOME);
  }

  /** Runs a backup expected to fail and returns the registry failure at the bottom of it. */
  private ApplicationFailure runExpectingFailure(
      DatabaseBackupWorkflow workflow, DatabaseBackupRequest request) {
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> workflow.backup(request));
    ActivityFailure activityFailure = assertInstanceOf(ActivityFailure.class, e.getCause());
    return assertInstanceOf(ApplicationFailure.class, activityFailure.getCause());
  }

  private static Instant parseBackupId(String backupId) {
    return RepositoryLayout.backupTime(backupId).orElseThrow();
  }

  /**
   * The bug unique ids fix: a schedule firing as an operator starts a backup. Both runs start at
   * the same workflow time (the test server's clock stands still), which gave both the same
   * second-resolution id and let the second overwrite the first's dump and manifest.
   */
  @Test
  void twoBackupsOfOneDatabaseStartedTogetherGetTheirOwnIds() {
    FakeBackupActivities fake = new FakeBackupActivities();
    worker.registerActivitiesImplementations(fake);
    testEnv.start();
    var client = testEnv.getWorkflowClient();
    DatabaseBackupWorkflow scheduled = client.newWorkflowStub(DatabaseBackupWorkflow.class,
        BackupTestSupport.workflowOptions().toBuilder().setWorkflowId(WORKFLOW_ID + "-scheduled")
            .build());
    DatabaseBackupWorkflow manual = client.newWorkflowStub(DatabaseBackupWorkflow.class,
        BackupTestSupport.workflowOptions().toBuilder().setWorkflowId(WORKFLOW_ID + "-manual")
            .build());
    var first = io.temporal.client.WorkflowClient.execute(scheduled::backup,
        BackupTestSupport.request(null));
    var second = io.temporal.client.WorkflowClient.execute(manual::backup,
        BackupTestSupport.request(null));
    BackupManifest a = first.join().manifest();
    BackupManifest b = second.join().manifest();

    assertTrue(a.backupId().substring(0, 16).equals(b.backupId().substring(0, 16)),
        "not the same second, the test proves nothing: " + a.backupId() + " " + b.backupId());
    assertTrue(!a.backupId().equals(b.backupId()), "both runs got " + a.backupId());
    assertTrue(!a.objectKey().equals(b.objectKey()), a.objectKey());
    // Each id ends in its own run's id piece, so it is the run's and no other's.
    String runA = io.temporal.client.WorkflowStub.fromTyped(scheduled).getExecution().getRunId();
    String hex = runA.replace("-", "");
    assertTrue(a.backupId().endsWith("-" + hex.substring(hex.length() - 8)), a.backupId());
    // Every object each run wrote is under its own id.
    List<String> dumpKeys = fake.argumentsOf("dumpToRepository", DumpRequest.class).stream()
        .map(DumpRequest::objectKey).sorted().toList();
    assertEquals(java.util.stream.Stream.of(a.objectKey(), b.objectKey()).sorted().toList(),
        dumpKeys);
    List<String> committed = fake.argumentsOf("commitManifest", BackupManifest.class).stream()
        .map(BackupManifest::backupId).sorted().toList();
    assertEquals(java.util.stream.Stream.of(a.backupId(), b.backupId()).sorted().toList(),
        committed);
  }

  @Test
  void happyPathRunsEveryStepInOrderAndCommitsTheDumpsManifest() {
    FakeBackupActivities fake = new FakeBackupActivities();
    DatabaseBackupWorkflow workflow = start(fake);
    DatabaseBackupRequest request = BackupTestSupport.request(null);

    BackupResult result = workflow.backup(request);

    assertEquals(HAPPY_ORDER, fake.methodsCalled());
    fake.calls().forEach(c -> assertEquals(1, c.attempt(), c.method() + " was retried"));

    BackupManifest m = result.manifest();
    assertNotNull(m);
    // The id is the workflow's start time (to the millisecond) and a piece of its run id,
    // formatted so ids sort by time as strings.
    assertTrue(m.backupId().matches("\\d{8}T\\d{6}Z\\.\\d{3}-[0-9a-z]{8}"), m.backupId());
    Instant idTime = parseBackupId(m.backupId());
    assertTrue(!idTime.isBefore(START) && idTime.isBefore(START.plusSeconds(60)),
        "backup id " + m.backupId() + " is not the workflow's start time " + START);

    String expectedKey = "nightly/db/" + DB + "/full/" + m.backupId() + "/dump.pgc.zst";
    assertEquals(expectedKey, RepositoryLayout.dumpKey("nightly", DB, m.backupId()));
    assertEquals(expectedKey, m.objectKey());

    DumpRequest dumpRequest = fake.argumentsOf("dumpToRepository", DumpRequest.class).get(0);
    assertEquals(m.backupId(), dumpRequest.backupId());
    assertEquals(expectedKey, dumpRequest.objectKey());
    assertEquals(7, dumpRequest.compression().level());
    assertEquals(DB, dumpRequest.database().name());

    VerifyRequest verify = fake.argumentsOf("verifyStoredDump", VerifyRequest.class).get(0);
    assertEquals(expectedKey, verify.objectKey());
    assertEquals(FakeBackupActivities.SHA256, verify.expectedSha256());
    assertEquals(FakeBackupActivities.STORED_BYTES, verify.expectedBytes());

    assertEquals(BackupManifest.FORMAT_VERSION, m.formatVersion());
    assertEquals(LifeboatSearchAttributes.KIND_DB_FULL, m.kind());
    assertEquals(DB, m.database());
    assertEquals("127.0.0.1:55432", m.sourceAddress());
    assertEquals(FakeBackupActivities.SERVER_VERSION, m.serverVersion());
    assertEquals(FakeBackupActivities.SHA256, m.sha256());
    assertEquals(FakeBackupActivities.RAW_BYTES, m.rawBytes());
    assertEquals(FakeBackupActivities.STORED_BYTES, m.storedBytes());
    assertEquals(FakeBackupActivities.COMPRESSION, m.compression());
    assertEquals(Instant.ofEpochMilli(FakeBackupActivities.DUMP_STARTED).toString(), m.startedAt());
    assertEquals(Instant.ofEpochMilli(FakeBackupActivities.DUMP_FINISHED).toString(),
        m.finishedAt());
    assertEquals("STANDARD_IA", m.storageClass());
    assertEquals("AES256", m.serverSideEncryption());
    assertEquals(FakeBackupActivities.PG_DUMP_VERSION, m.toolVersions().get("pg_dump"));
    assertTrue(m.verification().contains(FakeBackupActivities.TOC_ENTRIES + " entries"),
        m.verification());
    assertEquals(WORKFLOW_ID, m.workflowId());

    // What was committed is exactly what the workflow reports.
    List<BackupManifest> committed = fake.argumentsOf("commitManifest", BackupManifest.class);
    assertEquals(List.of(m), committed);

    RetentionRequest retention = fake.argumentsOf("applyRetention", RetentionRequest.class).get(0);
    assertEquals(DB, retention.database());
    assertEquals(30, retention.retentionDays());
    assertTrue(retention.nowMillis() >= START.toEpochMilli(), "retention uses workflow time");
    assertEquals(FakeBackupActivities.EXPIRED, result.expiredBackupIds());
    assertNull(result.retentionWarning());

    assertEquals(List.of("assess", "dump-and-upload", "verify", "commit-manifest", "retention"),
        result.steps().stream().map(StepTiming::step).toList());
    result.steps().forEach(s -> assertEquals("ok", s.outcome(), s.step()));

    BackupStatus status = workflow.status();
    assertEquals("done", status.step());
    assertEquals(m.backupId(), status.backupId());
    assertEquals(DB, status.database());
    assertEquals(FakeBackupActivities.DATABASE_SIZE, status.expectedRawBytes());
    assertEquals(result.steps(), status.steps());

    WorkflowExecutionDescription description = describe();
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
        description.getStatus());
    var attributes = description.getTypedSearchAttributes();
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED,
        attributes.get(LifeboatSearchAttributes.OUTCOME));
    assertEquals(DB, attributes.get(LifeboatSearchAttributes.DATABASE));
    assertEquals(LifeboatSearchAttributes.KIND_DB_FULL,
        attributes.get(LifeboatSearchAttributes.KIND));
  }

  @Test
  void retryableDumpFailureIsRetriedAndCommitsExactlyOneManifest() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failFirst("dumpToRepository", 1, FailureKind.PG_UNAVAILABLE);
    DatabaseBackupWorkflow workflow = start(fake);

    BackupResult result = workflow.backup(BackupTestSupport.request(null));

    assertEquals(List.of(1, 2), fake.attemptsOf("dumpToRepository"));
    assertEquals(1, fake.callsTo("assess").size());
    assertEquals(1, fake.callsTo("commitManifest").size());
    assertEquals(0, fake.callsTo("discardIncomplete").size());
    assertEquals(List.of(result.manifest()),
        fake.argumentsOf("commitManifest", BackupManifest.class));
    // Both attempts wrote to the same place: a retry overwrites, never forks the backup.
    List<DumpRequest> dumps = fake.argumentsOf("dumpToRepository", DumpRequest.class);
    assertEquals(dumps.get(0), dumps.get(1));
    // The retry waited out the policy's initial interval (in skipped workflow time).
    StepTiming dumpStep = result.steps().stream()
        .filter(s -> s.step().equals("dump-and-upload")).findFirst().orElseThrow();
    assertTrue(dumpStep.durationMillis()
            >= RetryConfig.DEFAULT.initialIntervalSeconds() * 1000L,
        "retry did not back off: " + dumpStep);
    assertEquals("done", workflow.status().step());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }

  @Test
  void unknownDatabaseFailsAtOnceAndDiscards() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlways("assess", FailureKind.UNKNOWN_DATABASE);
    DatabaseBackupWorkflow workflow = start(fake);

    ApplicationFailure failure =
        runExpectingFailure(workflow, BackupTestSupport.request(null));

    assertEquals(FailureKind.UNKNOWN_DATABASE.type(), failure.getType());
    assertEquals(List.of(1), fake.attemptsOf("assess"));
    assertEquals(List.of("assess", "discardIncomplete"), fake.methodsCalled());
    assertDiscardedOnce(fake, workflow);
  }

  @Test
  void accessDeniedInDumpFailsAtOnceWithoutManifest() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlways("dumpToRepository", FailureKind.S3_ACCESS_DENIED);
    DatabaseBackupWorkflow workflow = start(fake);

    ApplicationFailure failure =
        runExpectingFailure(workflow, BackupTestSupport.request(null));

    assertEquals(FailureKind.S3_ACCESS_DENIED.type(), failure.getType());
    assertEquals(List.of(1), fake.attemptsOf("dumpToRepository"));
    assertEquals(List.of("assess", "dumpToRepository", "discardIncomplete"), fake.methodsCalled());
    assertDiscardedOnce(fake, workflow);
  }

  /** The retry policy lists the registry's non-retryable types; the flag alone is not trusted. */
  @Test
  void nonRetryableTypeStopsRetriesEvenWhenTheFailureIsNotMarked() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlwaysUnmarked("assess", FailureKind.PG_AUTH_FAILED);
    DatabaseBackupWorkflow workflow = start(fake);

    ApplicationFailure failure =
        runExpectingFailure(workflow, BackupTestSupport.request(null));

    assertEquals(FailureKind.PG_AUTH_FAILED.type(), failure.getType());
    assertEquals(List.of(1), fake.attemptsOf("assess"));
    assertDiscardedOnce(fake, workflow);
  }

  @Test
  void corruptStoredDumpIsNeverCommitted() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlways("verifyStoredDump", FailureKind.BACKUP_CORRUPT);
    DatabaseBackupWorkflow workflow = start(fake);

    ApplicationFailure failure =
        runExpectingFailure(workflow, BackupTestSupport.request(null));

    assertEquals(FailureKind.BACKUP_CORRUPT.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(List.of(1), fake.attemptsOf("verifyStoredDump"));
    assertEquals(
        List.of("assess", "dumpToRepository", "verifyStoredDump", "discardIncomplete"),
        fake.methodsCalled());
    assertDiscardedOnce(fake, workflow);
  }

  @Test
  void retentionFailureAfterCommitStillSucceedsWithAWarning() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlways("applyRetention", FailureKind.S3_ACCESS_DENIED);
    DatabaseBackupWorkflow workflow = start(fake);

    BackupResult result = workflow.backup(BackupTestSupport.request(null));

    assertEquals(HAPPY_ORDER, fake.methodsCalled());
    assertEquals(1, fake.callsTo("commitManifest").size());
    assertEquals(0, fake.callsTo("discardIncomplete").size());
    assertNotNull(result.manifest());
    assertEquals(List.of(), result.expiredBackupIds());
    assertNotNull(result.retentionWarning(), "retention failure was swallowed silently");
    assertTrue(result.retentionWarning().contains("fake applyRetention failed"),
        result.retentionWarning());
    assertEquals("failed", result.steps().get(result.steps().size() - 1).outcome());
    assertEquals("done", workflow.status().step());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }

  @Test
  void retriesAreBoundedByTheRequestsTuning() {
    FakeBackupActivities fake = new FakeBackupActivities()
        .failAlways("dumpToRepository", FailureKind.PG_UNAVAILABLE);
    DatabaseBackupWorkflow workflow = start(fake);
    long before = testEnv.currentTimeMillis();

    ApplicationFailure failure = runExpectingFailure(workflow,
        BackupTestSupport.request(new RetryConfig(3, 5, 60)));

    assertEquals(FailureKind.PG_UNAVAILABLE.type(), failure.getType());
    assertEquals(List.of(1, 2, 3), fake.attemptsOf("dumpToRepository"));
    assertEquals(0, fake.callsTo("verifyStoredDump").size());
    assertDiscardedOnce(fake, workflow);
    // Backoff 5 s then 10 s happened in workflow time, which the test server skipped.
    assertTrue(testEnv.currentTimeMillis() - before >= Duration.ofSeconds(15).toMillis(),
        "expected at least 15 s of backoff");
  }

  private void assertDiscardedOnce(FakeBackupActivities fake, DatabaseBackupWorkflow workflow) {
    assertEquals(0, fake.callsTo("commitManifest").size(), "a failed backup wrote a manifest");
    List<DiscardRequest> discards = fake.argumentsOf("discardIncomplete", DiscardRequest.class);
    assertEquals(1, discards.size());
    BackupStatus status = workflow.status();
    assertEquals("failed", status.step());
    assertNotNull(status.backupId());
    assertEquals(status.backupId(), discards.get(0).backupId());
    assertEquals(DB, discards.get(0).database());
    assertEquals("nightly", discards.get(0).repository().prefix());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome());
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, describe().getStatus());
  }
}
