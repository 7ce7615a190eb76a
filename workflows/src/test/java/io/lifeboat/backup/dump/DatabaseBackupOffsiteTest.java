package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.CopyRequest;
import io.lifeboat.offsite.FakeOffsiteActivities;
import io.lifeboat.offsite.OffsiteCopyWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a dump commits, the offsite copy starts as an abandoned child: the backup does not wait
 * for it and its failure never makes the backup fail.
 */
class DatabaseBackupOffsiteTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private final NotificationActivities notifier = sent::add;

  @BeforeEach
  void setUp() {
    env = BackupTestSupport.newEnvironment();
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class,
        OffsiteCopyWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static OffsiteConfig offsite() {
    return new OffsiteConfig("http://127.0.0.1:9100", "farmtally-offsite", null, null, null,
        "LIFEBOAT_OFFSITE_ACCESS_KEY", "LIFEBOAT_OFFSITE_SECRET_KEY", null, null, null, null);
  }

  static DatabaseBackupRequest request(OffsiteConfig offsite) {
    var base = BackupTestSupport.request(new RetryConfig(2, 1, 1));
    return new DatabaseBackupRequest(base.database(), base.repository(), base.compression(),
        base.retentionDays(), base.retry(), NotificationTarget.of(new NotificationsConfig(
            new NotificationsConfig.Webhook("HOOK"), null), "http://localhost:8233", "default"),
        offsite);
  }

  private BackupResult backup(FakeOffsiteActivities offsite, DatabaseBackupRequest request) {
    worker.registerActivitiesImplementations(new FakeBackupActivities(), offsite, notifier);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(DatabaseBackupWorkflow.class,
        BackupTestSupport.workflowOptions()).backup(request);
  }

  /** The child's id holds the backup id, which is the workflow time the backup started at. */
  private String childId() {
    return env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID).getEvents()
        .stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
        .map(e -> e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution()
            .getWorkflowId())
        .findFirst().orElseThrow();
  }

  private String outcome(String workflowId) {
    return env.getWorkflowClient().newUntypedWorkflowStub(workflowId).describe()
        .getTypedSearchAttributes().get(LifeboatSearchAttributes.OUTCOME);
  }

  @Test
  void committedDumpIsCopiedOffsiteByAChild() {
    FakeOffsiteActivities offsite = new FakeOffsiteActivities();
    BackupResult result = backup(offsite, request(offsite()));
    String childId = childId();
    assertEquals("offsite-db-full-" + BackupTestSupport.DB + "-" + result.manifest().backupId(),
        childId);

    CopyRecord copy = env.getWorkflowClient().newUntypedWorkflowStub(childId)
        .getResult(CopyRecord.class);
    assertEquals("db-full", copy.kind());
    assertEquals(BackupTestSupport.DB, copy.source());
    CopyRequest req = (CopyRequest) offsite.calls.get(1).argument();
    assertEquals("db/" + BackupTestSupport.DB + "/full/", req.scope());
    // The primary's settings reach the copy as the backup had them (prefix normalised).
    assertEquals("nightly", req.primary().prefix());
    assertEquals(List.of("probeLock", "copy", "verify", "applyRetention", "record"),
        offsite.methods());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome(childId));
  }

  @Test
  void offsiteFailureDoesNotFailTheBackup() {
    FakeOffsiteActivities offsite = new FakeOffsiteActivities()
        .failAlways("copy", FailureKind.OFFSITE_UNAVAILABLE);
    BackupResult result = backup(offsite, request(offsite()));

    assertNotNull(result.manifest());
    String childId = childId();
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED,
        outcome(BackupTestSupport.WORKFLOW_ID));
    assertThrows(WorkflowFailedException.class, () ->
        env.getWorkflowClient().newUntypedWorkflowStub(childId).getResult(CopyRecord.class));
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome(childId));
    // One failure, about the offsite copy; the backup itself says started and finished.
    var failures = sent.stream().filter(d -> d.notification().event().equals(
        io.lifeboat.notify.Notification.EVENT_FAILURE)).toList();
    assertEquals(1, failures.size(), sent.toString());
    assertTrue(failures.get(0).notification().subject().startsWith("offsite copy of"));
    assertEquals(3, sent.size(), "started, finished, the offsite failure: " + sent);
  }

  @Test
  void withoutOffsiteNothingIsStarted() {
    FakeOffsiteActivities offsite = new FakeOffsiteActivities();
    backup(offsite, request(null));
    WorkflowExecutionHistory history =
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID);
    assertEquals(0, history.getEvents().stream().filter(e -> e.getEventType()
        == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED).count());
    // Only the unique backup id's markers (BackupIds: its version marker and side effect) and
    // the bulk queue's (BulkQueue, issue 21: its version marker and side effect), and the
    // backup notifications' version marker (BackupNews, issue 22).
    assertEquals(5, history.getEvents().stream().filter(e -> e.getEventType()
        == EventType.EVENT_TYPE_MARKER_RECORDED).count());
    assertTrue(offsite.calls.isEmpty());
  }

  @Test
  void historyWithTheOffsiteChildReplays() throws Exception {
    backup(new FakeOffsiteActivities(), request(offsite()));
    String childId = childId();
    env.getWorkflowClient().newUntypedWorkflowStub(childId).getResult(CopyRecord.class);
    WorkflowExecutionHistory history =
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID);
    // The version marker of OffsiteAfterBackup.CHANGE_ID (its id is inside an encoded payload),
    // after the unique backup id's two (BackupIds: version marker and side effect) and the bulk
    // queue's two (BulkQueue: version marker and side effect), and BackupNews's (issue 22).
    assertEquals(6, history.getEvents().stream().filter(e -> e.getEventType()
        == EventType.EVENT_TYPE_MARKER_RECORDED).count());
    assertEquals(1, history.getEvents().stream().filter(e -> e.getEventType()
        == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED).count());
    WorkflowReplayer.replayWorkflowExecution(history, DatabaseBackupWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory(childId), OffsiteCopyWorkflowImpl.class);
  }

  /** Issue 20: one child per copy repository, each copying to its own bucket; replayable. */
  @Test
  void everyCopyRepositoryGetsItsOwnChild() throws Exception {
    OffsiteConfig b = new OffsiteConfig("http://127.0.0.1:9200", "bucket-b", null, null, null,
        "B_KEY", "B_SECRET", null, null, null, null, null, "site-b", null, null);
    OffsiteConfig c = new OffsiteConfig("http://127.0.0.1:9300", "bucket-c", null, null, null,
        "C_KEY", "C_SECRET", null, null, null, null, null, "site-c", null, null);
    FakeOffsiteActivities fake = new FakeOffsiteActivities();
    BackupResult result = backup(fake, request(offsite().withSiblings(List.of(b, c))));
    String id = result.manifest().backupId();
    WorkflowExecutionHistory history =
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID);
    List<String> children = history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
        .map(e -> e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution()
            .getWorkflowId()).toList();
    String db = BackupTestSupport.DB;
    assertEquals(List.of("offsite-db-full-" + db + "-" + id,
        "offsite-site-b-db-full-" + db + "-" + id, "offsite-site-c-db-full-" + db + "-" + id),
        children);
    List<String> buckets = new java.util.ArrayList<>();
    for (String child : children) {
      buckets.add(env.getWorkflowClient().newUntypedWorkflowStub(child)
          .getResult(CopyRecord.class).offsiteBucket());
    }
    assertEquals(List.of("farmtally-offsite", "bucket-b", "bucket-c"), buckets);
    // Each copy request names one repository, without the others.
    assertTrue(fake.calls.stream().filter(x -> x.argument() instanceof CopyRequest)
        .allMatch(x -> ((CopyRequest) x.argument()).offsite().siblings().isEmpty()));
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID),
        DatabaseBackupWorkflowImpl.class);
  }
}
