package io.lifeboat.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The offsite copy on its own: order, idempotence, what fails it and what does not. */
class OffsiteCopyWorkflowTest {
  static final Instant START = Instant.parse("2026-11-21T02:10:00Z");

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private final NotificationActivities notifier = sent::add;

  static TestWorkflowEnvironment newEnvironment() {
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder().setInitialTime(START);
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return TestWorkflowEnvironment.newInstance(options.build());
  }

  static RepositoryConfig primary() {
    return new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", "lifeboat", null,
        null, "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY", null, null, null, null, null);
  }

  static OffsiteConfig offsite() {
    return new OffsiteConfig("http://127.0.0.1:9100", "farmtally-offsite", null, null, null,
        "LIFEBOAT_OFFSITE_ACCESS_KEY", "LIFEBOAT_OFFSITE_SECRET_KEY", null, null,
        new OffsiteConfig.ObjectLock("GOVERNANCE", 7), null);
  }

  static OffsiteCopyRequest request(List<String> scopes) {
    return new OffsiteCopyRequest(primary(), offsite(), "db-full", "farmtally_production", scopes,
        true, new RetryConfig(2, 1, 1), NotificationTarget.of(new NotificationsConfig(
            new NotificationsConfig.Webhook("HOOK"), null), "http://localhost:8233", "default"));
  }

  @BeforeEach
  void setUp() {
    env = newEnvironment();
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(OffsiteCopyWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private OffsiteCopyWorkflow start(FakeOffsiteActivities fake, String id) {
    worker.registerActivitiesImplementations(fake, notifier);
    env.start();
    return stub(id);
  }

  private OffsiteCopyWorkflow stub(String id) {
    return env.getWorkflowClient().newWorkflowStub(OffsiteCopyWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.DEFAULT).build());
  }

  @Test
  void copiesVerifiesExpiresAndRecordsInThatOrder() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities();
    CopyRecord r = start(fake, "offsite-1").copy(request(OffsiteScopes.databaseDumps(
        "farmtally_production")));

    assertEquals(List.of("probeLock", "copy", "verify", "applyRetention", "record"),
        fake.methods());
    assertEquals(2, r.copied());
    assertEquals(2, r.verified());
    assertEquals(List.of("db/farmtally_production/full/20261121T020000Z/"), r.backupsCopied());
    // No Object Lock on the server is recorded, and is not a failure.
    assertTrue(r.objectLock().startsWith("unavailable"), r.objectLock());
    // A locked copy that retention may not delete yet is a skip with its reason.
    assertEquals(1, r.retentionSkipped().size());
    assertTrue(r.retentionSkipped().get(0).contains("Object Lock until"));
    assertEquals(r, fake.records.get(0));
    // Issue 22: a finished copy says so, once.
    assertEquals(1, sent.size(), sent.toString());
    assertEquals(OffsiteCopyWorkflowImpl.EVENT_FINISHED, sent.get(0).notification().event());
    assertTrue(sent.get(0).notification().text().contains("2 objects"),
        sent.get(0).notification().text());
  }

  @Test
  void secondRunFindsEverythingThereAndVerifiesNothing() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities();
    var scopes = OffsiteScopes.databaseDumps("farmtally_production");
    start(fake, "offsite-a").copy(request(scopes));
    fake.calls.clear();

    CopyRecord second = stub("offsite-b").copy(request(scopes));

    assertEquals(0, second.copied());
    assertEquals(2, second.skipped());
    assertEquals(0, second.verified());
    assertEquals(List.of("probeLock", "copy", "applyRetention", "record"), fake.methods());
  }

  @Test
  void aCutShortKeyListVerifiesTheWholeScope() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities();
    fake.truncateKeys = true;
    CopyRecord r = start(fake, "offsite-big").copy(request(OffsiteScopes.configuration()));
    VerifyCopyRequest verify = (VerifyCopyRequest) fake.calls.get(2).argument();
    assertEquals(null, verify.keys());
    assertEquals("config/", verify.scope());
    assertEquals(5, r.verified());
  }

  @Test
  void everyScopeIsCopiedWalToo() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities();
    start(fake, "offsite-base").copy(request(OffsiteScopes.baseBackups("farmtally_production")));
    List<String> scopes = fake.calls.stream().filter(c -> c.method().equals("copy"))
        .map(c -> ((CopyRequest) c.argument()).scope()).toList();
    assertEquals(List.of("db/farmtally_production/base/", "wal/farmtally_production/"), scopes);
  }

  @Test
  void enabledLockReachesTheCopy() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities()
        .lock(new LockStatus(LockStatus.ENABLED, "COMPLIANCE", 7, null));
    CopyRecord r = start(fake, "offsite-lock").copy(request(OffsiteScopes.configuration()));
    CopyRequest copy = (CopyRequest) fake.calls.get(1).argument();
    assertTrue(copy.lock().enabled());
    assertEquals("COMPLIANCE 7 days", r.objectLock());
  }

  @Test
  void failedRetentionIsAWarningNotAFailure() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities()
        .failAlways("applyRetention", FailureKind.OFFSITE_UNAVAILABLE);
    CopyRecord r = start(fake, "offsite-ret").copy(request(OffsiteScopes.configuration()));
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).startsWith("retention of config/ failed"), r.warnings().get(0));
    assertEquals(1, fake.records.size());
  }

  @Test
  void unreachableOffsiteFailsTheCopyAndNotifiesOnce() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities()
        .failAlways("copy", FailureKind.OFFSITE_UNAVAILABLE);
    OffsiteCopyWorkflow wf = start(fake, "offsite-down");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.copy(request(OffsiteScopes.configuration())));
    ApplicationFailure app = assertInstanceOf(ApplicationFailure.class,
        assertInstanceOf(ActivityFailure.class, e.getCause()).getCause());
    assertEquals(FailureKind.OFFSITE_UNAVAILABLE.type(), app.getType());
    // Retried as the policy says (2 attempts), then reported, never verified nor recorded.
    assertEquals(List.of("probeLock", "copy", "copy"), fake.methods());
    assertEquals(1, sent.size());
    assertEquals("offsite copy of farmtally_production failed",
        sent.get(0).notification().subject());
    assertTrue(sent.get(0).notification().details().get("primary backup").startsWith("not affected"));
  }

  @Test
  void verificationMismatchIsNotRetried() {
    FakeOffsiteActivities fake = new FakeOffsiteActivities()
        .failAlways("verify", FailureKind.OFFSITE_VERIFY_FAILED);
    OffsiteCopyWorkflow wf = start(fake, "offsite-bad");
    assertThrows(WorkflowFailedException.class,
        () -> wf.copy(request(OffsiteScopes.configuration())));
    assertEquals(1, fake.methods().stream().filter("verify"::equals).count());
    assertEquals(1, sent.size());
  }
}
