package io.lifeboat.recover.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.RecordingNotifications;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.RecoveryTiming;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.SourceRecoveryRun;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@link RecoveryTiming} (issue 19, patch {@value SourceRecoveryRun#CHANGE}), a Redis
 * recovery runs against the RTO like a database recovery: a status with the projected finish
 * while a long step runs, the RTO status in its search attributes, and a stored report, also
 * when it fails.
 */
class RedisRecoveryTimingTest {
  private static final String ID = "recover-redis-farmtally-cache";
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final RecordingNotifications news = new RecordingNotifications();
  private final Reports reports = new Reports();

  /** Stores nothing: keeps each report the run asked to store. */
  static final class Reports implements ReportActivities {
    final List<RunReport> stored = new CopyOnWriteArrayList<>();

    @Override
    public StoredReport storeReport(StoreReportRequest request) {
      stored.add(request.report());
      String key = "p/reports/" + request.report().kind() + "/" + request.report().workflowId()
          + "/" + request.report().startedAtMillis() + "/report.json";
      return new StoredReport(key, key.replace(".json", ".md"), key.replace(".json", ".html"));
    }
  }

  /** The fake of RedisRecoveryWorkflowTest, whose stage takes 3 minutes of workflow time. */
  final class SlowStage implements RedisRecoveryActivities {
    @Override
    public StagedSnapshot redisStageAof(StageRequest request) {
      throw new UnsupportedOperationException("not this test");
    }

    @Override
    public SwapResult redisSwapAofAndStart(StageRequest request, StagedSnapshot staged) {
      throw new UnsupportedOperationException("not this test");
    }

    final RedisRecoveryWorkflowTest.Fake fake = new RedisRecoveryWorkflowTest.Fake();

    @Override
    public RedisManifest redisChooseBackup(RepositoryConfig repository, String name, String id) {
      return fake.redisChooseBackup(repository, name, id);
    }

    @Override
    public StagedSnapshot redisStageSnapshot(StageRequest request) {
      // 3 minutes of workflow time, heartbeating as the real stage does (its timeout is 60 s);
      // the worker sends each beat at once (no throttle): the test server's clock skips ahead
      for (int i = 0; i < 36; i++) {
        env.sleep(Duration.ofSeconds(5));
        io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
        try {
          Thread.sleep(20); // lets the beat go out before the clock skips on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return fake.redisStageSnapshot(request);
    }

    @Override
    public SwapResult redisSwapAndStart(StageRequest request, StagedSnapshot staged) {
      return fake.redisSwapAndStart(request, staged);
    }

    @Override
    public long redisEnableAof(RedisConfig redis) {
      return fake.redisEnableAof(redis);
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT, io.temporal.worker.WorkerOptions.newBuilder()
        .setMaxHeartbeatThrottleInterval(Duration.ofMillis(1)).build());
    worker.registerWorkflowImplementationTypes(RedisRecoveryWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RedisRecoveryResult run(SlowStage activities) {
    worker.registerActivitiesImplementations(activities, news, reports);
    env.start();
    NotificationTarget everyMinute = NotificationTarget.of(new NotificationsConfig(
        new NotificationsConfig.Webhook("HOOK"), null, 1.0), "http://localhost:8233", "default");
    return env.getWorkflowClient().newWorkflowStub(RedisRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new RedisRecoveryRequest(
            new RedisConfig("cache", null, null, null, null, "/data", true, null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), null, new RetryConfig(2, 1, 1), everyMinute,
            new RecoveryTiming(2, "farmtally", null, Map.of())));
  }

  @Test
  void statusWhileALongStepRunsThenFinishedWithAStoredReport() throws Exception {
    RedisRecoveryResult r = run(new SlowStage());

    List<String> events = news.events();
    assertEquals(RunNews.EVENT_STARTED, events.get(0), events.toString());
    assertEquals(RunNews.EVENT_FINISHED, events.get(events.size() - 1), events.toString());
    assertTrue(events.stream().filter(RunNews.EVENT_STATUS::equals).count() >= 2,
        "a status each minute of the 3-minute stage: " + events);
    assertTrue(news.sent.get(0).text().contains("projected finish"), news.sent.get(0).text());

    assertEquals(1, reports.stored.size());
    RunReport report = reports.stored.get(0);
    assertEquals(RunReport.SUCCEEDED, report.outcome());
    assertEquals(RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY, report.kind());
    assertEquals("farmtally", report.estate());
    assertEquals(120_000L, report.rtoTargetMillis());
    assertEquals("20261206T020000Z.000-abcdefgh", report.facts().get("Backup used"));
    assertEquals("5 (manifest: 5)", report.facts().get("Keys"));
    assertEquals(List.of("choose-backup", "stage", "swap-and-start", "enable-aof"),
        report.steps().stream().map(s -> s.step()).toList());
    assertNotNull(r.report(), "the result names the stored report");

    // The 3-minute stage passed the 2-minute RTO: the run says so where operators look.
    var attrs = env.getWorkflowClient().fetchHistory(ID).getEvents().stream()
        .filter(e -> e.hasUpsertWorkflowSearchAttributesEventAttributes()).toList();
    assertTrue(attrs.size() >= 2, "running, then the outcome");
    String last = attrs.get(attrs.size() - 1).getUpsertWorkflowSearchAttributesEventAttributes()
        .getSearchAttributes().getIndexedFieldsMap()
        .get(LifeboatSearchAttributes.RTO_STATUS.getName()).getData().toStringUtf8();
    assertTrue(last.contains(LifeboatSearchAttributes.RTO_BREACHED), last);

    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        RedisRecoveryWorkflowImpl.class);
  }

  @Test
  void aFailureStoresTheFailedReport() {
    SlowStage activities = new SlowStage();
    activities.fake.keysAfterStart = 4;
    assertThrows(WorkflowFailedException.class, () -> run(activities));
    assertEquals(1, reports.stored.size());
    RunReport report = reports.stored.get(0);
    assertEquals(RunReport.FAILED, report.outcome());
    assertTrue(report.notes().stream().anyMatch(n -> n.contains("failed in step swap-and-start")
        && n.contains("holds 4 keys")), report.notes().toString());
    assertEquals(RunNews.EVENT_FAILED, news.events().get(news.events().size() - 1));
  }

  @Test
  void withoutTimingTheRunIsAsBefore() {
    RedisRecoveryWorkflowTest.Fake fake = new RedisRecoveryWorkflowTest.Fake();
    worker.registerActivitiesImplementations(fake, news, reports);
    env.start();
    RedisRecoveryResult r = env.getWorkflowClient().newWorkflowStub(RedisRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new RedisRecoveryRequest(
            new RedisConfig("cache", null, null, null, null, "/data", true, null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), null, new RetryConfig(2, 1, 1),
            RecordingNotifications.TARGET));
    assertNull(r.report(), "no report without timing");
    assertTrue(reports.stored.isEmpty());
    news.assertRecoveryStartedThenFinished(RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY,
        "cache", r.backupId());
  }
}
