package io.lifeboat.backup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lifeboat.backup.artifact.ArchiveActivities;
import io.lifeboat.backup.artifact.ArchiveRequest;
import io.lifeboat.backup.artifact.ArchiveResult;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.CommitRequest;
import io.lifeboat.backup.artifact.DiscardArtifactRequest;
import io.lifeboat.backup.artifact.KeepNewestRequest;
import io.lifeboat.backup.artifact.VerifyArchiveRequest;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.RecordingNotifications;
import io.lifeboat.rollback.ApplicationRollbackWorkflowTest;
import io.lifeboat.rollback.ReleaseFacts;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The weekly configuration backup says started, then finished or failed. */
class ConfigurationBackupNotificationsTest {
  private static final String ID = "backup-config-farmtally";
  private TestWorkflowEnvironment env;
  private final RecordingNotifications news = new RecordingNotifications();

  static final class Fake implements ArchiveActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    boolean unreadable;

    @Override public ReleaseFacts inspectRelease(ApplicationConfig application) {
      throw new UnsupportedOperationException();
    }

    @Override public ArchiveResult archiveToRepository(ArchiveRequest request) {
      calls.add("archive");
      if (unreadable) throw FailureKind.APP_SOURCE_MISSING.failure("/etc/nginx: permission denied");
      return new ArchiveResult(request.objectKey(), 2048, 9000, "abc", 3, List.of(), List.of(), 1,
          2, null);
    }

    @Override public int verifyStoredArchive(VerifyArchiveRequest request) {
      calls.add("verify");
      return 3;
    }

    @Override public void commitArtifactManifest(CommitRequest request) {
      calls.add("commit");
    }

    @Override public List<String> keepNewest(KeepNewestRequest request) {
      calls.add("retention");
      return List.of();
    }

    @Override public void discardArtifact(DiscardArtifactRequest request) {
      calls.add("discard");
    }
  }

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  private ConfigurationBackupWorkflow start(Fake fake) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-22T04:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ConfigurationBackupWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(ConfigurationBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static ConfigurationBackupRequest request() {
    return new ConfigurationBackupRequest("farmtally", new ConfigurationBackupConfig(
        List.of("/etc/hosts"), "/etc/nginx", null, null, null, 12),
        ApplicationRollbackWorkflowTest.repository(), new RetryConfig(2, 1, 1), null, null, null,
        RecordingNotifications.TARGET);
  }

  @Test
  void startedThenFinishedWithBytes() throws Exception {
    Fake fake = new Fake();
    ArtifactBackupResult r = start(fake).backup(request());
    var f = news.assertStartedThenFinished("config", "farmtally", r.manifest().backupId());
    assertEquals("2048", f.details().get("Stored bytes"));
    assertEquals("9000", f.details().get("Raw bytes"));
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        ConfigurationBackupWorkflowImpl.class);
  }

  @Test
  void startedThenFailedWithTheKindAndCause() {
    Fake fake = new Fake();
    fake.unreadable = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake).backup(request()));
    news.assertStartedThenFailed("config", "farmtally", "archive-and-upload",
        FailureKind.APP_SOURCE_MISSING.type(), "permission denied");
    assertEquals(List.of("archive", "discard"), fake.calls);
  }

  @Test
  void noChannelNoMessage() {
    ConfigurationBackupRequest r = request();
    start(new Fake()).backup(new ConfigurationBackupRequest(r.estate(), r.configuration(),
        r.repository(), r.retry(), null, null, null, null));
    assertEquals(List.of(), news.sent);
  }
}
