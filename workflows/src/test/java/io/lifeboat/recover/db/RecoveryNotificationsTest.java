package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The communication plan of a database recovery, in skipped time: started at once, a status
 * every notifications.statusEveryMinutes with the projected finish, finished or failed.
 */
class RecoveryNotificationsTest {
  static final String QUEUE = "recover-notify-test";
  static final Instant START = Instant.parse("2026-11-21T09:30:00Z");

  private TestWorkflowEnvironment env;
  private final FakeRecoveryActivities fake = new FakeRecoveryActivities();
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private RetryConfig retry;

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(START);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
    NotificationActivities notify = sent::add;
    worker.registerActivitiesImplementations(fake, notify);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static RecoveryRequest request(RecoveryTarget target, double statusEveryMinutes,
      Map<String, Long> previous) {
    return request(target, statusEveryMinutes, previous, null);
  }

  static RecoveryRequest request(RecoveryTarget target, double statusEveryMinutes,
      Map<String, Long> previous, RetryConfig retry) {
    RecoveryRequest base = DatabaseRecoveryWorkflowTest.request(target);
    NotificationTarget channels = NotificationTarget.of(new NotificationsConfig(
        new NotificationsConfig.Webhook("LIFEBOAT_WEBHOOK_URL"), null, statusEveryMinutes),
        "http://localhost:8233", "default");
    return new RecoveryRequest(base.database(), base.repository(), base.target(),
        base.rtoMinutes(), base.estate(), retry != null ? retry : base.retry(), channels,
        previous, null);
  }

  private DatabaseRecoveryWorkflow stub() {
    return env.getWorkflowClient().newWorkflowStub(DatabaseRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(DatabaseRecoveryWorkflowTest.WORKFLOW_ID)
            .setTaskQueue(QUEUE).build());
  }

  private List<String> events() {
    return sent.stream().map(d -> d.notification().event()).toList();
  }

  private RunReport storedReport() {
    List<ReportActivities.StoreReportRequest> r =
        fake.args("storeReport", ReportActivities.StoreReportRequest.class);
    assertEquals(1, r.size());
    return r.get(0).report();
  }

  @Test
  void aSeventyMinuteRecoveryWithStatusEveryThirtyMinutesSendsTwoStatusMessages() {
    // 70 minutes in the download: two attempts fail (the store does not answer), each retried
    // after 35 minutes. No activity runs in between, so the test environment skips the time.
    fake.failFirst("downloadBase", 2, FailureKind.S3_UNAVAILABLE);
    retry = new RetryConfig(3, 35 * 60, 35 * 60);
    RecoveryResult r = stub().recover(request(RecoveryTarget.latest(), 30, null, retry));

    assertEquals(List.of(RunNews.EVENT_STARTED, RunNews.EVENT_STATUS, RunNews.EVENT_STATUS,
        RunNews.EVENT_FINISHED), events());
    for (Delivery d : sent) {
      assertEquals(Delivery.CHANNEL_WEBHOOK, d.channel());
      assertNotNull(d.notification().details().get("Projected finish"), d.toString());
      assertTrue(d.notification().link().endsWith(DatabaseRecoveryWorkflowTest.WORKFLOW_ID));
    }
    // Each status: the steps done, the step running (the download), the time used.
    Delivery first = sent.get(1);
    assertEquals("download", first.notification().details().get("Current step"));
    assertEquals("30m 0s", first.notification().details().get("Elapsed"));
    assertTrue(first.notification().details().get("Steps done").startsWith("plan "));
    assertEquals("1h 0m 0s", sent.get(2).notification().details().get("Elapsed"));
    // 70 minutes against a 30 minute RTO: the projection said "over the RTO" before the end.
    assertTrue(sent.get(1).notification().details().get("Projected finish")
        .contains("over the RTO"));
    assertEquals("breached", r.rtoStatus());
    RunReport report = storedReport();
    assertEquals("2", report.facts().get("Status messages sent"));
    assertNotNull(report.facts().get("Projected finish at status 2"));
    // The cadence is workflow timers: its history replays.
    replays("database-recovery-notify-status.json");
  }

  /**
   * Replays this run's history; with -Dlifeboat.recordHistories=true also stores it beside the
   * recorded ones (DatabaseRecoveryReplayTest replays those on every build).
   */
  private void replays(String name) {
    var history = env.getWorkflowClient().fetchHistory(DatabaseRecoveryWorkflowTest.WORKFLOW_ID);
    try {
      io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(history,
          DatabaseRecoveryWorkflowImpl.class);
      if (Boolean.getBoolean("lifeboat.recordHistories")) {
        java.nio.file.Files.writeString(DatabaseRecoveryReplayTest.RECORDED.resolve(name),
            history.toJson(true));
      }
    } catch (Exception e) {
      throw new AssertionError("the history does not replay", e);
    }
  }

  @Test
  void aShortRecoverySendsStartedAndFinishedWithTheProjectionFromThePreviousRun() {
    RecoveryResult r = stub().recover(request(RecoveryTarget.latest(), 30,
        Map.of("download", 120_000L, "replay", 60_000L)));

    assertEquals(List.of(RunNews.EVENT_STARTED, RunNews.EVENT_FINISHED), events());
    String started = sent.get(0).notification().details().get("Projected finish");
    assertTrue(started.contains("previous run and RTO split"), started);
    assertTrue(sent.get(1).notification().subject().contains("finished"));
    assertEquals("met", r.rtoStatus());
    RunReport report = storedReport();
    assertEquals("0", report.facts().get("Status messages sent"));
    assertTrue(report.facts().get("Step estimates").contains("download 2m 0s"));
  }

  @Test
  void aFailedRecoverySendsFailedWithTheStepAndTheReason() {
    fake.failFirst("swapDataDirectory", 100, FailureKind.RECOVERY_FAILED);

    assertThrows(WorkflowFailedException.class,
        () -> stub().recover(request(RecoveryTarget.latest(), 30, null)));

    assertEquals(List.of(RunNews.EVENT_STARTED, RunNews.EVENT_FAILED), events());
    var failed = sent.get(1).notification();
    assertEquals("swap", failed.details().get("Failed step"));
    assertTrue(failed.details().get("Reason").contains("swapDataDirectory failed"),
        failed.details().toString());
    assertNotNull(failed.details().get("Projected finish"));
    replays("database-recovery-notify-failed.json");
  }

  @Test
  void withoutChannelsNothingIsSentAndNoStatusTimerRuns() {
    RecoveryResult r = stub().recover(DatabaseRecoveryWorkflowTest.request(
        RecoveryTarget.latest()));
    assertTrue(sent.isEmpty());
    assertEquals("met", r.rtoStatus());
    var history = env.getWorkflowClient().fetchHistory(DatabaseRecoveryWorkflowTest.WORKFLOW_ID);
    long timers = history.getEvents().stream().filter(e -> e.hasTimerStartedEventAttributes())
        .count();
    assertEquals(2, timers, "only the RTO clock's two timers (at-risk, breach)");
  }

  @Test
  void theAchievedRpoIsTheLastCommitRestoredAgainstTheTarget() {
    fake.lastCommit = new VerifyReport.LastCommit("2026-11-21T09:13:30Z", "0/9000100", "742",
        "pg_last_committed_xact()");
    RecoveryResult r = stub().recover(request(RecoveryTarget.time("2026-11-21T09:14:00Z"), 30,
        null));

    assertEquals(30.0, r.achievedRpo().seconds());
    assertEquals("recovery target", r.achievedRpo().againstWhat());
    assertEquals("0/9000100", r.achievedRpo().lsn());
    assertTrue(storedReport().facts().get("Last transaction restored")
        .startsWith("2026-11-21T09:13:30Z (LSN 0/9000100), xid 742, 30.0 s before"));
  }

  @Test
  void withoutALastCommitTheAchievedRpoFallsBackToTheBackupAgainstTheStart() {
    fake.pitr = false;
    RecoveryResult r = stub().recover(request(RecoveryTarget.latest(), 30, null));

    // The dump was consistent at 02:03, the recovery started at 09:30.
    assertEquals(AchievedRpo.SOURCE_BACKUP, r.achievedRpo().source());
    assertEquals("2026-11-21T02:03:00Z", r.achievedRpo().lastCommitAt());
    assertEquals(7 * 3600 + 27 * 60, r.achievedRpo().seconds(), 5.0);
    assertFalse(r.achievedRpo().describe().isEmpty());
  }
}
