package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failed nightly backup tells people; a broken channel changes nothing about the failure. */
class DatabaseBackupNotificationTest {
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private volatile boolean channelBroken;

  private final NotificationActivities notifier = delivery -> {
    if (channelBroken) throw FailureKind.NOTIFY_FAILED.failure("connection refused");
    sent.add(delivery);
  };

  @BeforeEach
  void setUp() {
    env = BackupTestSupport.newEnvironment();
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private DatabaseBackupRequest request() {
    var base = BackupTestSupport.request(new RetryConfig(2, 1, 1));
    return new DatabaseBackupRequest(base.database(), base.repository(), base.compression(),
        base.retentionDays(), base.retry(), NotificationTarget.of(new NotificationsConfig(
            new NotificationsConfig.Webhook("HOOK"), null), "http://localhost:8233", "default"));
  }

  private ApplicationFailure runFailing(FakeBackupActivities fake) {
    worker.registerActivitiesImplementations(fake, notifier);
    env.start();
    DatabaseBackupWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        DatabaseBackupWorkflow.class, BackupTestSupport.workflowOptions());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> wf.backup(request()));
    return assertInstanceOf(ApplicationFailure.class,
        assertInstanceOf(ActivityFailure.class, e.getCause()).getCause());
  }

  @Test
  void failedBackupSendsOneFailureNotificationAfterDiscarding() throws Exception {
    ApplicationFailure cause = runFailing(
        new FakeBackupActivities().failAlways("assess", FailureKind.PG_AUTH_FAILED));

    assertEquals(FailureKind.PG_AUTH_FAILED.type(), cause.getType());
    assertEquals(List.of(io.lifeboat.run.BackupNews.EVENT_STARTED, Notification.EVENT_FAILURE),
        sent.stream().map(d -> d.notification().event()).toList(), "started, then one failure");
    Notification n = sent.get(1).notification();
    assertEquals(Delivery.CHANNEL_WEBHOOK, sent.get(1).channel());
    assertEquals("database backup of " + BackupTestSupport.DB + " failed", n.subject());
    assertTrue(n.text().startsWith("step assess: "), n.text());
    assertTrue(n.text().contains(FailureKind.PG_AUTH_FAILED.hint()), n.text());
    assertEquals(FailureKind.PG_AUTH_FAILED.type(), n.details().get("Failure kind"));
    assertEquals("db-full", n.details().get("Kind"));
    assertEquals(BackupTestSupport.DB, n.details().get("Source"));
    assertEquals("assess", n.details().get("Failed step"));
    assertEquals("http://localhost:8233/namespaces/default/workflows/"
        + BackupTestSupport.WORKFLOW_ID, n.link());
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID),
        DatabaseBackupWorkflowImpl.class);
  }

  /** Dumps until cancelled, heartbeating, so a cancel reaches it. */
  static final class BlockingDump implements DatabaseBackupActivities {
    final java.util.concurrent.CountDownLatch dumping = new java.util.concurrent.CountDownLatch(1);
    final List<String> discarded = new CopyOnWriteArrayList<>();

    @Override public DatabaseFacts assess(io.lifeboat.config.DatabaseConfig d) {
      return new DatabaseFacts("15", 1000);
    }
    @Override public DumpResult dumpToRepository(DumpRequest r) {
      dumping.countDown();
      while (true) {
        io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    @Override public VerifyResult verifyStoredDump(VerifyRequest r) {
      throw new UnsupportedOperationException();
    }
    @Override public void commitManifest(io.lifeboat.config.RepositoryConfig r, BackupManifest m) {
      throw new UnsupportedOperationException();
    }
    @Override public List<String> applyRetention(RetentionRequest r) {
      throw new UnsupportedOperationException();
    }
    @Override public void discardIncomplete(DiscardRequest r) {
      discarded.add(r.backupId());
    }
  }

  @Test
  void aCancelledBackupIsCleanedUpWithoutNotifyingAnyone() throws Exception {
    BlockingDump fake = new BlockingDump();
    worker.registerActivitiesImplementations(fake, notifier);
    env.start();
    DatabaseBackupWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        DatabaseBackupWorkflow.class, BackupTestSupport.workflowOptions());
    io.temporal.client.WorkflowClient.start(wf::backup, request());
    assertTrue(fake.dumping.await(30, java.util.concurrent.TimeUnit.SECONDS));
    var stub = env.getWorkflowClient().newUntypedWorkflowStub(BackupTestSupport.WORKFLOW_ID);
    stub.cancel();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> stub.getResult(BackupResult.class));
    assertInstanceOf(io.temporal.failure.CanceledFailure.class, e.getCause());
    assertEquals(1, fake.discarded.size(), "leftovers removed");
    assertEquals(List.of(io.lifeboat.run.BackupNews.EVENT_STARTED),
        sent.stream().map(d -> d.notification().event()).toList(),
        "an operator's cancel is not news");
  }

  @Test
  void aGoodBackupSaysStartedThenFinishedWithBytesAndDuration() throws Exception {
    worker.registerActivitiesImplementations(new FakeBackupActivities(), notifier);
    env.start();
    DatabaseBackupWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        DatabaseBackupWorkflow.class, BackupTestSupport.workflowOptions());
    BackupResult r = wf.backup(request());
    var rec = new io.lifeboat.notify.RecordingNotifications();
    sent.forEach(rec::deliver);
    Notification f = rec.assertStartedThenFinished("db-full", BackupTestSupport.DB,
        r.manifest().backupId());
    assertEquals(String.valueOf(r.manifest().storedBytes()), f.details().get("Stored bytes"));
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID),
        DatabaseBackupWorkflowImpl.class);
  }

  @Test
  void brokenChannelDoesNotMaskTheBackupFailure() {
    channelBroken = true;
    ApplicationFailure cause = runFailing(
        new FakeBackupActivities().failAlways("assess", FailureKind.UNKNOWN_DATABASE));
    assertEquals(FailureKind.UNKNOWN_DATABASE.type(), cause.getType(),
        "the workflow fails with the backup's own failure, not the notifier's");
    assertTrue(sent.isEmpty());
  }
}
