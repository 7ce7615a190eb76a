package io.lifeboat.backup.app;

import io.lifeboat.run.TestEnvironments;
import io.lifeboat.backup.artifact.ArchiveActivities;
import io.lifeboat.backup.artifact.ArchiveRequest;
import io.lifeboat.backup.artifact.ArchiveResult;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.CommitRequest;
import io.lifeboat.backup.artifact.DiscardArtifactRequest;
import io.lifeboat.backup.artifact.KeepNewestRequest;
import io.lifeboat.rollback.ReleaseFacts;
import io.lifeboat.backup.artifact.VerifyArchiveRequest;
import io.lifeboat.rollback.ApplicationRollbackWorkflowTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The daily application backup: named by time and commit, committed last, cleaned on failure. */
class ApplicationBackupWorkflowTest {
  private TestWorkflowEnvironment env;

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  static class Fake implements ArchiveActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile boolean archiveFails;
    volatile ArchiveRequest archived;
    volatile CommitRequest committed;

    @Override
    public ReleaseFacts inspectRelease(ApplicationConfig application) {
      calls.add("inspect");
      return new ReleaseFacts(application.currentDir(), "1a2b3c4d5e6f7a8b", "REVISION");
    }

    @Override
    public ArchiveResult archiveToRepository(ArchiveRequest request) {
      calls.add("archive");
      archived = request;
      if (archiveFails) throw FailureKind.APP_SOURCE_MISSING.failure("gone (fake)");
      return new ArchiveResult(request.objectKey(), 100, 300, "abc", 3, List.of(), List.of(), 1, 2, null);
    }

    @Override
    public int verifyStoredArchive(VerifyArchiveRequest request) {
      calls.add("verify");
      return 4;
    }

    @Override
    public void commitArtifactManifest(CommitRequest request) {
      calls.add("commit");
      committed = request;
    }

    @Override
    public List<String> keepNewest(KeepNewestRequest request) {
      calls.add("retention " + request.keep());
      return List.of("old");
    }

    @Override
    public void discardArtifact(DiscardArtifactRequest request) {
      calls.add("discard " + request.directory());
    }
  }

  private ApplicationBackupWorkflow start(Fake fake, Object... more) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T03:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ApplicationBackupWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake);
    if (more.length > 0) worker.registerActivitiesImplementations(more);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(ApplicationBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("backup-app-farmtally-farmtally")
            .setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static ApplicationBackupRequest request() {
    return new ApplicationBackupRequest(ApplicationRollbackWorkflowTest.app(),
        ApplicationRollbackWorkflowTest.repository(), new RetryConfig(2, 1, 1), "schedule");
  }

  @Test
  void namedByTimeAndCommitAndCommittedAfterVerification() {
    Fake fake = new Fake();
    ArtifactBackupResult r = start(fake).backup(request());
    assertEquals(List.of("inspect", "archive", "verify", "commit", "retention 30"), fake.calls);
    assertTrue(r.manifest().backupId().startsWith("20261121T0300"), r.manifest().backupId());
    assertTrue(r.manifest().backupId().endsWith("-1a2b3c4d"), r.manifest().backupId());
    assertEquals("lifeboat/app/farmtally/" + r.manifest().backupId() + "/app.tar.gz",
        fake.archived.objectKey());
    assertEquals(List.of("node_modules", ".git", "logs", "tmp"), fake.archived.excludes());
    assertEquals("current", fake.archived.sources().get(0).nameInArchive());
    assertEquals("lifeboat/app/farmtally/" + r.manifest().backupId() + "/manifest.json",
        fake.committed.manifestKey());
    assertEquals("1a2b3c4d5e6f7a8b", r.manifest().commit());
    assertEquals(List.of("old"), r.expiredBackupIds());
  }

  private static ApplicationBackupRequest notifying() {
    ApplicationBackupRequest r = request();
    return new ApplicationBackupRequest(r.application(), r.repository(), r.retry(), r.reason(),
        null, null, null, io.lifeboat.notify.RecordingNotifications.TARGET);
  }

  @Test
  void notifiesStartedThenFinishedWithTheIdFromTheRelease() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    ArtifactBackupResult r = start(new Fake(), news).backup(notifying());
    news.assertStartedThenFinished("app", "farmtally", "not yet chosen",
        r.manifest().backupId());
    assertEquals("not yet chosen", news.sent.get(0).details().get("Backup id"),
        "the id names the commit, known only after the inspection");
  }

  @Test
  void notifiesStartedThenFailedWithTheKindAndCause() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    Fake fake = new Fake();
    fake.archiveFails = true;
    ApplicationBackupWorkflow wf = start(fake, news);
    assertThrows(WorkflowFailedException.class, () -> wf.backup(notifying()));
    news.assertStartedThenFailed("app", "farmtally", "archive-and-upload",
        FailureKind.APP_SOURCE_MISSING.type(), "gone (fake)");
  }

  @Test
  void aFailedArchiveLeavesNothingBehind() {
    Fake fake = new Fake();
    fake.archiveFails = true;
    ApplicationBackupWorkflow wf = start(fake);
    assertThrows(WorkflowFailedException.class, () -> wf.backup(request()));
    assertEquals("inspect", fake.calls.get(0));
    assertEquals("archive", fake.calls.get(1));
    assertTrue(fake.calls.get(2).startsWith("discard lifeboat/app/farmtally/"), fake.calls.toString());
    assertTrue(fake.calls.stream().noneMatch(c -> c.equals("commit")));
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, env.getWorkflowClient()
        .newUntypedWorkflowStub("backup-app-farmtally-farmtally").describe().getTypedSearchAttributes()
        .get(LifeboatSearchAttributes.OUTCOME));
  }
}
