package io.lifeboat.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackupVerificationWorkflowTest {
  static final Instant START = Instant.parse("2026-11-21T05:30:00Z");
  static final String QUEUE = "verify-test";
  static final String WORKFLOW_ID = "verify-backups-test";

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final FakeVerificationActivities fake = new FakeVerificationActivities();

  @BeforeEach
  void setUp() {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(START);
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BackupVerificationWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static DatabaseConfig db(String name) {
    return new DatabaseConfig(name, "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null,
        List.of(new DatabaseConfig.ValidationQuery("users present", "select count(*) from users",
            1L)));
  }

  static VerificationRequest request(NotificationsConfig channels, String... dbs) {
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups",
        "lifeboat", null, null, "A", "B", null, null, null, null, null);
    return new VerificationRequest(java.util.Arrays.stream(dbs).map(BackupVerificationWorkflowTest::db)
        .toList(), repo, true, new RetryConfig(2, 1, 1),
        NotificationTarget.of(channels, "http://localhost:8233", "default"));
  }

  static final NotificationsConfig BOTH = new NotificationsConfig(
      new NotificationsConfig.Webhook("HOOK"), new NotificationsConfig.Email("127.0.0.1", 2525,
          "lifeboat@farmtally.test", List.of("ops@farmtally.test"), null, null, null));

  private BackupVerificationWorkflow stub() {
    return env.getWorkflowClient().newWorkflowStub(BackupVerificationWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(QUEUE).build());
  }

  private String outcome() {
    return env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID).describe()
        .getTypedSearchAttributes().get(LifeboatSearchAttributes.OUTCOME);
  }

  @Test
  void healthyBackupsPassInOrderWithScratchDroppedAndRecordsWritten() {
    VerificationReport report = stub().verify(request(BOTH, "farmtally_production", "farmtally_b"));

    assertTrue(report.passed(), report.toString());
    assertEquals(2, report.results().size());
    VerificationResult r = report.results().get(0);
    assertEquals("farmtally_production", r.source());
    assertEquals("20261121T020000Z", r.backupId());
    assertNull(r.failureType());
    assertEquals(List.of("newest backup", "sha256", "pg_restore --list", "restore",
        "validation: users present"), r.checks().stream().map(CheckOutcome::name).toList());
    assertTrue(r.checks().stream().allMatch(CheckOutcome::passed));
    assertNotNull(r.recordKey());
    assertTrue(r.recordKey().startsWith(
        "lifeboat/db/farmtally_production/full/20261121T020000Z/verification-2026112"),
        r.recordKey());
    assertTrue(r.recordKey().matches(".*/verification-\\d{8}T\\d{6}Z-\\d{3}\\.json"),
        "time to the millisecond, so records of close runs never collide: " + r.recordKey());

    String scratch = fake.calls.get(2).split(" ")[2];
    assertTrue(scratch.matches("lifeboat_verify_farmtally_production_[a-z0-9]{8}"), scratch);
    assertEquals(List.of(
        "findNewest farmtally_production", "checkIntegrity farmtally_production",
        "restoreAndValidate farmtally_production " + scratch, "dropScratch " + scratch,
        "recordVerification farmtally_production"), fake.calls.subList(0, 5));
    assertEquals(2, fake.records.size());
    assertTrue(fake.records.get(0).record().passed());
    assertEquals(WORKFLOW_ID, fake.records.get(0).record().workflowId());
    // Issue 22: a verification that passed says so, once per channel.
    assertTrue(fake.deliveries.stream().allMatch(d -> d.notification().event().equals(
        BackupVerificationWorkflowImpl.EVENT_PASSED)) && !fake.deliveries.isEmpty(),
        fake.deliveries.toString());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }

  /** Issue 21: verification.parallel sources at once, never more; the report in source order. */
  @Test
  void parallelVerifiesSeveralDatabasesAtOnceWithinTheLimit() {
    fake.restoreMillis = 400;
    VerificationRequest one = request(NotificationsConfig.NONE, "db_a", "db_b", "db_c", "db_d",
        "db_e");
    VerificationRequest two = new VerificationRequest(one.databases(), one.repository(),
        one.restore(), one.retry(), one.notifications(), 2);
    VerificationReport report = stub().verify(two);

    assertTrue(report.passed(), report.toString());
    assertEquals(List.of("db_a", "db_b", "db_c", "db_d", "db_e"),
        report.results().stream().map(VerificationResult::source).toList());
    assertEquals(2, fake.maxInRestore.get(), "two restores at once, never more");
    assertEquals(5, fake.dropped.size());
    assertEquals(5, fake.dropped.stream().map(ScratchDatabase::name).distinct().count());
  }

  @Test
  void corruptBackupFailsVerificationRecordsItAndNotifiesBothChannelsOnce() {
    fake.corrupt = Set.of("farmtally_production");

    VerificationReport report = stub().verify(request(BOTH, "farmtally_production", "farmtally_b"));

    assertFalse(report.passed());
    VerificationResult bad = report.results().get(0);
    assertFalse(bad.passed());
    assertEquals(FailureKind.BACKUP_CORRUPT.type(), bad.failureType());
    assertTrue(bad.message().contains("does not match its manifest"), bad.message());
    CheckOutcome failed = bad.checks().get(bad.checks().size() - 1);
    assertEquals("integrity", failed.name());
    assertFalse(failed.passed());
    // No restore of a corrupt dump, so no scratch database to create or drop.
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("restoreAndValidate farmtally_p")));
    // The other database is still verified.
    assertTrue(report.results().get(1).passed());
    // The failure is recorded beside the backup.
    RecordRequest record = fake.records.get(0);
    assertFalse(record.record().passed());
    assertEquals(FailureKind.BACKUP_CORRUPT.type(), record.record().failureType());

    assertEquals(List.of(Delivery.CHANNEL_WEBHOOK, Delivery.CHANNEL_EMAIL),
        fake.deliveries.stream().map(Delivery::channel).toList());
    Notification n = fake.deliveries.get(0).notification();
    assertEquals(Notification.EVENT_VERIFICATION_FAILED, n.event());
    assertTrue(n.subject().contains("farmtally_production"), n.subject());
    assertEquals("http://localhost:8233/namespaces/default/workflows/" + WORKFLOW_ID, n.link());
    assertTrue(n.details().get("db-full farmtally_production").contains("20261121T020000Z"));
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome());
  }

  @Test
  void failedRestoreStillDropsTheScratchDatabase() {
    fake.restoreFails = Set.of("farmtally_production");

    VerificationReport report = stub().verify(request(NotificationsConfig.NONE,
        "farmtally_production"));

    VerificationResult r = report.results().get(0);
    assertFalse(r.passed());
    assertEquals(FailureKind.RESTORE_TEST_FAILED.type(), r.failureType());
    assertEquals("restore", r.checks().get(r.checks().size() - 1).name());
    assertEquals(1, fake.dropped.size(), fake.calls.toString());
    assertTrue(fake.dropped.get(0).name().startsWith("lifeboat_verify_farmtally_production_"));
  }

  @Test
  void cancelledMidRestoreDropsTheScratchAndRecordsNoVerdict() throws Exception {
    fake.blockRestore = true;
    io.temporal.client.WorkflowClient.start(stub()::verify,
        request(BOTH, "farmtally_production"));
    assertTrue(fake.restoring.await(30, java.util.concurrent.TimeUnit.SECONDS));
    var untyped = env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID);
    untyped.cancel();
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        io.temporal.client.WorkflowFailedException.class,
        () -> untyped.getResult(VerificationReport.class));
    assertTrue(e.getCause() instanceof io.temporal.failure.CanceledFailure, e.toString());
    assertEquals(1, fake.dropped.size(), "scratch dropped on cancel: " + fake.calls);
    assertTrue(fake.records.isEmpty(), "a cancel is no verdict on the backup");
    assertTrue(fake.deliveries.isEmpty());
  }

  @Test
  void validationBelowMinimumFails() {
    fake.validationValue = 0;
    VerificationResult r = stub().verify(request(NotificationsConfig.NONE, "farmtally_production"))
        .results().get(0);
    assertFalse(r.passed());
    assertEquals(FailureKind.VALIDATION_FAILED.type(), r.failureType());
    assertTrue(r.message().contains("users present = 0"), r.message());
  }

  @Test
  void noBackupAtAllFailsAsNotFoundWithoutRecord() {
    fake.empty = Set.of("farmtally_production");
    VerificationResult r = stub().verify(request(NotificationsConfig.NONE, "farmtally_production"))
        .results().get(0);
    assertFalse(r.passed());
    assertEquals(FailureKind.BACKUP_NOT_FOUND.type(), r.failureType());
    assertNull(r.backupId());
    assertTrue(fake.records.isEmpty(), "nothing to put a record beside");
  }

  @Test
  void aBrokenNotificationChannelNeverFailsTheRun() {
    fake.corrupt = Set.of("farmtally_production");
    fake.failingChannels = Set.of(Delivery.CHANNEL_WEBHOOK);

    VerificationReport report = stub().verify(request(BOTH, "farmtally_production"));

    assertFalse(report.passed());
    assertEquals(List.of(Delivery.CHANNEL_WEBHOOK), report.notificationFailures());
    assertEquals(3, fake.deliveryAttempts.get(Delivery.CHANNEL_WEBHOOK), "retried, then given up");
    assertEquals(List.of(Delivery.CHANNEL_EMAIL),
        fake.deliveries.stream().map(Delivery::channel).toList(), "email still went out");
  }

  @Test
  void withoutRestoreNoScratchDatabaseIsTouched() {
    VerificationRequest base = request(NotificationsConfig.NONE, "farmtally_production");
    VerificationRequest checksumsOnly = new VerificationRequest(base.databases(),
        base.repository(), false, base.retry(), base.notifications());
    VerificationResult r = stub().verify(checksumsOnly).results().get(0);
    assertTrue(r.passed());
    assertEquals(List.of("newest backup", "sha256", "pg_restore --list"),
        r.checks().stream().map(CheckOutcome::name).toList());
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("restoreAndValidate")
        || c.startsWith("dropScratch")), fake.calls.toString());
  }

  @Test
  void scratchNamesAreSafeUniqueAndShort() {
    String name = DatabaseDumpVerifier.scratchName("Farm-Tally.prod",
        RunKeys.of("0a1b2c3d-4e5f-6789"));
    assertEquals("lifeboat_verify_farm_tally_prod_4e5f6789", name);
    String longName = DatabaseDumpVerifier.scratchName("x".repeat(63),
        RunKeys.of("0000-ffffffff"));
    assertEquals(63, longName.length());
    assertTrue(longName.endsWith("_ffffffff"));
  }

  /**
   * The daily schedule and a manual {@code lifeboat verify} started in the same minute: the
   * server's UUIDv7 run ids share their first 8 hex digits, the scratch databases must not.
   */
  @Test
  void twoVerificationsOfTheSameMinuteGetDifferentScratchDatabases() {
    String scheduled = "019aa8f0-1c2b-7d3e-8f40-5a6b7c8d9e0f";
    String manual = "019aa8f0-b86b-7a11-b222-333344445555"; // 40 s later
    String a = DatabaseDumpVerifier.scratchName("farmtally_production", RunKeys.of(scheduled));
    String b = DatabaseDumpVerifier.scratchName("farmtally_production", RunKeys.of(manual));
    assertNotEquals(a, b);
    assertEquals("lifeboat_verify_farmtally_production_7c8d9e0f", a);
    // What they were named before: the same database, dropped by whichever finished first.
    assertEquals(DatabaseDumpVerifier.scratchName("farmtally_production",
        RunKeys.legacyPrefix(scheduled)), DatabaseDumpVerifier.scratchName("farmtally_production",
        RunKeys.legacyPrefix(manual)));
  }

  @Test
  void twoRunsStartedTogetherRestoreIntoTheirOwnScratchNamedByTheEndOfTheirRunIds() {
    BackupVerificationWorkflow first = stub();
    BackupVerificationWorkflow second = env.getWorkflowClient().newWorkflowStub(
        BackupVerificationWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(WORKFLOW_ID + "-manual").setTaskQueue(QUEUE).build());
    String run1 = WorkflowClient.start(first::verify, request(BOTH, "farmtally_production"))
        .getRunId();
    String run2 = WorkflowClient.start(second::verify, request(BOTH, "farmtally_production"))
        .getRunId();
    WorkflowStub.fromTyped(first).getResult(VerificationReport.class);
    WorkflowStub.fromTyped(second).getResult(VerificationReport.class);

    List<String> restored = fake.calls.stream().filter(c -> c.startsWith("restoreAndValidate "))
        .map(c -> c.split(" ")[2]).sorted().toList();
    List<String> expected = java.util.stream.Stream.of(run1, run2)
        .map(r -> "lifeboat_verify_farmtally_production_" + RunKeys.of(r)).sorted().toList();
    assertEquals(expected, restored);
    assertNotEquals(restored.get(0), restored.get(1));
    assertEquals(expected, fake.dropped.stream().map(ScratchDatabase::name).sorted().toList());
  }

  @Test
  void historyReplays() throws Exception {
    fake.corrupt = Set.of("farmtally_b");
    stub().verify(request(BOTH, "farmtally_production", "farmtally_b"));
    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WORKFLOW_ID);
    WorkflowReplayer.replayWorkflowExecution(history, BackupVerificationWorkflowImpl.class);
  }
}
