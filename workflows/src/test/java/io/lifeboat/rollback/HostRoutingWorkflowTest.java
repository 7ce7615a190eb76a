package io.lifeboat.rollback;

import io.lifeboat.run.TestEnvironments;
import io.lifeboat.backup.app.ApplicationBackupRequest;
import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.app.ApplicationBackupWorkflowImpl;
import io.lifeboat.backup.artifact.ArchiveActivities;
import io.lifeboat.backup.artifact.ArchiveRequest;
import io.lifeboat.backup.artifact.ArchiveResult;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.CommitRequest;
import io.lifeboat.backup.config.ConfigurationBackupRequest;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.backup.config.ConfigurationBackupWorkflowImpl;
import io.lifeboat.backup.artifact.DiscardArtifactRequest;
import io.lifeboat.backup.artifact.KeepNewestRequest;
import io.lifeboat.backup.artifact.VerifyArchiveRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.host.AgentActivities;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: with a host named, the archive steps (they read the host's disk) go to the host's
 * agent queue and the repository steps stay on the main queue; without hosts, everything stays
 * on the main queue and no agent is asked for; a missing agent shows as
 * LifeboatWaitingStep=agent:HOST until one polls.
 */
class HostRoutingWorkflowTest {
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String HOST_QUEUE = MAIN + "-host-app1";

  private TestWorkflowEnvironment env;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger agentChecks = new AtomicInteger();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  /** Records each call with the queue it was taken from. */
  final class Recording implements ArchiveActivities {
    private void record(String method) {
      calls.add(method + "@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
    }

    @Override
    public ReleaseFacts inspectRelease(ApplicationConfig application) {
      record("inspect");
      return new ReleaseFacts(application.currentDir(), "1a2b3c4d5e6f7a8b", "REVISION");
    }

    @Override
    public ArchiveResult archiveToRepository(ArchiveRequest request) {
      record("archive");
      return new ArchiveResult(request.objectKey(), 100, 300, "abc", 3, List.of(), List.of(), 1,
          2, null);
    }

    @Override
    public int verifyStoredArchive(VerifyArchiveRequest request) {
      record("verify");
      return 4;
    }

    @Override
    public void commitArtifactManifest(CommitRequest request) {
      record("commit");
    }

    @Override
    public List<String> keepNewest(KeepNewestRequest request) {
      record("retention");
      return List.of();
    }

    @Override
    public void discardArtifact(DiscardArtifactRequest request) {
      record("discard");
    }
  }

  /** No agent for the first {@code missing} checks, then agent@app1/1. */
  final class Agents implements AgentActivities {
    final int missing;

    Agents(int missing) {
      this.missing = missing;
    }

    @Override
    public List<String> activityPollers(String taskQueue) {
      assertEquals(HOST_QUEUE, taskQueue);
      return agentChecks.incrementAndGet() <= missing ? List.of() : List.of("agent@app1/1");
    }
  }

  /** The main queue serves workflows, the archive fake and the agent check; a host queue only
   * the archive fake (what an agent registers). */
  private void start(int missingChecks, boolean hostWorker) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-22T04:00:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(ConfigurationBackupWorkflowImpl.class,
        ApplicationBackupWorkflowImpl.class);
    control.registerActivitiesImplementations(new Recording(), new Agents(missingChecks));
    if (hostWorker) {
      env.newWorker(HOST_QUEUE).registerActivitiesImplementations(new Recording());
    }
    env.start();
  }

  private static ConfigurationBackupRequest configRequest(String host) {
    return new ConfigurationBackupRequest("farmtally",
        new ConfigurationBackupConfig(List.of("/etc/hosts"), "/etc/nginx", null, null, null, 4,
            host),
        ApplicationRollbackWorkflowTest.repository(), new RetryConfig(2, 1, 1));
  }

  private ArtifactBackupResult backupConfig(String id, String host) {
    return env.getWorkflowClient().newWorkflowStub(ConfigurationBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(MAIN).build())
        .backup(configRequest(host));
  }

  @Test
  void withAHostTheArchiveStepsRunOnTheHostsQueue() {
    start(0, true);
    backupConfig("backup-config-farmtally", "app1");
    assertEquals(List.of("archive@" + HOST_QUEUE, "verify@" + MAIN, "commit@" + MAIN,
        "retention@" + MAIN), calls);
    assertEquals(1, agentChecks.get());
  }

  @Test
  void aBackupOnAHostNamesTheHostAndItsAgentInItsMessages() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-22T04:00:00Z"));
    Worker control = env.newWorker(MAIN);
    control.registerWorkflowImplementationTypes(ConfigurationBackupWorkflowImpl.class);
    control.registerActivitiesImplementations(new Recording(), new Agents(0), news);
    env.newWorker(HOST_QUEUE).registerActivitiesImplementations(new Recording());
    env.start();
    ConfigurationBackupRequest r = configRequest("app1");
    ArtifactBackupResult result = env.getWorkflowClient().newWorkflowStub(
        ConfigurationBackupWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId("backup-config-farmtally").setTaskQueue(MAIN).build())
        .backup(new ConfigurationBackupRequest(r.estate(), r.configuration(), r.repository(),
            r.retry(), null, null, null, io.lifeboat.notify.RecordingNotifications.TARGET));
    var finished = news.assertStartedThenFinished("config", "farmtally",
        result.manifest().backupId());
    assertEquals("app1", news.sent.get(0).details().get("Host"));
    assertTrue(news.sent.get(0).text().endsWith(" on app1"), news.sent.get(0).text());
    assertEquals("app1", finished.details().get("Host"));
    assertEquals("agent@app1/1", finished.details().get("Agent"));
  }

  @Test
  void withoutHostsEverythingStaysOnTheMainQueueAndNoAgentIsAskedFor() {
    start(0, false);
    backupConfig("backup-config-farmtally", null);
    assertEquals(List.of("archive@" + MAIN, "verify@" + MAIN, "commit@" + MAIN,
        "retention@" + MAIN), calls);
    assertEquals(0, agentChecks.get());
  }

  @Test
  void theApplicationBackupInspectsAndArchivesOnTheHost() {
    start(0, true);
    ApplicationConfig base = ApplicationRollbackWorkflowTest.app();
    ApplicationConfig onApp1 = new ApplicationConfig(base.name(), base.releaseRoot(),
        base.pm2Name(), base.ecosystemFile(), base.pm2Home(), base.healthUrl(),
        base.criticalEndpoints(), base.excludes(), base.backupSchedule(), base.keep(), "app1");
    env.getWorkflowClient().newWorkflowStub(ApplicationBackupWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("backup-app-farmtally").setTaskQueue(MAIN)
                .build())
        .backup(new ApplicationBackupRequest(onApp1, ApplicationRollbackWorkflowTest.repository(),
            new RetryConfig(2, 1, 1), "manual"));
    assertEquals(List.of("inspect@" + HOST_QUEUE, "archive@" + HOST_QUEUE, "verify@" + MAIN,
        "commit@" + MAIN, "retention@" + MAIN), calls);
    assertEquals(1, agentChecks.get(), "asked once per run, not per step");
  }

  @Test
  void aMissingAgentIsAWaitingStepUntilOnePolls() {
    start(3, true);
    backupConfig("backup-config-waiting", "app1");
    assertEquals(4, agentChecks.get());
    assertEquals("archive@" + HOST_QUEUE, calls.get(0));
    List<String> waiting = new ArrayList<>();
    int timers = 0;
    for (HistoryEvent e : env.getWorkflowClient().fetchHistory("backup-config-waiting")
        .getHistory().getEventsList()) {
      if (e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) timers++;
      if (e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) {
        var fields = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes()
            .getIndexedFieldsMap();
        var p = fields.get(LifeboatSearchAttributes.WAITING_STEP.getName());
        if (p != null) {
          Object v = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, Object.class,
              Object.class);
          waiting.add(String.valueOf(v));
        }
      }
    }
    assertEquals(3, timers, "one wait between checks");
    assertEquals(2, waiting.size(), waiting.toString());
    assertEquals("agent:app1", waiting.get(0));
    assertTrue(waiting.get(1).equals("null") || waiting.get(1).equals("[]"), waiting.toString());
  }
}
