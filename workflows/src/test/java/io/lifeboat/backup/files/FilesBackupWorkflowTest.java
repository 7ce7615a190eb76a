package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.rollback.ApplicationRollbackWorkflowTest;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The files backup's order: init, backup, check, then retention and the manifest; never a prune after a failed check. */
class FilesBackupWorkflowTest {
  private TestWorkflowEnvironment env;

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  static class Fake implements FilesActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile boolean damaged;
    volatile FilesManifest committed;

    @Override public boolean filesInit(ResticTarget t) {
      calls.add("init");
      return true;
    }

    @Override public FilesSnapshot filesBackup(ResticTarget t) {
      calls.add("backup");
      assertTrue(t.runTag().startsWith("lifeboat-run=files-test/"), t.runTag());
      return new FilesSnapshot("abcd1234", 3, 0, 0, 3, 300, 120, 0.5, "restic 0.14.0", false);
    }

    @Override public FilesSnapshot filesSeal(ResticTarget t) {
      calls.add("seal");
      assertTrue(!t.files().remoteRepository(), "sealed as a local mirror on its host");
      return new FilesSnapshot("abcd1234", 0, 0, 0, 7, 700, 120, 0.5, "rsync 3.2.7", false);
    }

    @Override public FilesCheck filesCheck(ResticTarget t) {
      calls.add("check");
      return damaged ? new FilesCheck(false, 100, "Pack ID does not match, want 1, got 2")
          : new FilesCheck(true, 100, "no errors were found");
    }

    @Override public FilesRetention filesForget(ResticTarget t) {
      calls.add("forget");
      return new FilesRetention(List.of("abcd1234"), List.of("0000aaaa"));
    }

    @Override public String filesCommitManifest(ResticTarget t, FilesManifest m) {
      calls.add("commit");
      committed = m;
      return ResticTarget.manifestKey(t.repository(), t.files().name(), m.backupId());
    }

    @Override public FilesManifest filesNewestManifest(io.lifeboat.config.RepositoryConfig r,
        String name) {
      throw new UnsupportedOperationException("a backup never restores (drills do)");
    }

    @Override public FilesRestoreCheck filesRestoreCompare(FilesScratchRestore request) {
      throw new UnsupportedOperationException("a backup never restores (drills do)");
    }

    @Override public String filesRemoveScratch(FilesScratchRestore request) {
      throw new UnsupportedOperationException("a backup never restores (drills do)");
    }
  }

  private FilesBackupWorkflow start(Fake fake, Object... more) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T03:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(FilesBackupWorkflowImpl.class);
    worker.registerActivitiesImplementations(fake);
    if (more.length > 0) worker.registerActivitiesImplementations(more);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(FilesBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("files-test").setTaskQueue(TaskQueues.DEFAULT)
            .build());
  }

  private static FilesBackupRequest request() {
    FilesConfig f = new FilesConfig("uploads", null, List.of("/srv/uploads"), List.of(), "restic",
        "RESTIC_PW", new FilesConfig.Keep(1, 7, 0, 0), 100, null);
    return new FilesBackupRequest(f, ApplicationRollbackWorkflowTest.repository(),
        new RetryConfig(2, 1, 1), "manual");
  }

  @Test
  void initBackupCheckForgetThenTheManifest() {
    Fake fake = new Fake();
    FilesBackupResult r = start(fake).backup(request());
    assertEquals(List.of("init", "backup", "check", "forget", "commit"), fake.calls);
    assertEquals("abcd1234", r.manifest().snapshotId());
    assertEquals(120, r.manifest().bytesAdded());
    assertEquals(List.of("0000aaaa"), r.manifest().removed());
    assertTrue(r.manifest().verification().startsWith("ok: "));
    assertEquals("s3:http://127.0.0.1:9000/farmtally-backups/lifeboat/files/uploads",
        r.manifest().repository());
  }

  private static FilesBackupRequest notifying() {
    FilesBackupRequest r = request();
    return new FilesBackupRequest(r.files(), r.repository(), r.retry(), r.reason(),
        io.lifeboat.notify.RecordingNotifications.TARGET);
  }

  @Test
  void notifiesStartedThenFinishedWithBytesAndDuration() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    FilesBackupResult r = start(new Fake(), news).backup(notifying());
    var f = news.assertStartedThenFinished("files", "uploads", r.manifest().backupId());
    assertEquals("120", f.details().get("Stored bytes"));
    assertTrue(f.text().contains("abcd1234"), f.text());
  }

  @Test
  void notifiesStartedThenFailedWhenTheCheckFails() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    Fake fake = new Fake();
    fake.damaged = true;
    FilesBackupWorkflow wf = start(fake, news);
    assertThrows(WorkflowFailedException.class, () -> wf.backup(notifying()));
    news.assertStartedThenFailed("files", "uploads", "commit",
        FailureKind.FILES_CHECK_FAILED.type(), "Pack ID does not match");
  }

  @Test
  void aFailedCheckIsRecordedNothingIsPrunedAndTheRunFails() {
    Fake fake = new Fake();
    fake.damaged = true;
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> start(fake).backup(request()));
    assertEquals(List.of("init", "backup", "check", "commit"), fake.calls);
    assertTrue(fake.committed.verification().startsWith("failed: Pack ID does not match"));
    ApplicationFailure cause = (ApplicationFailure) e.getCause();
    assertEquals(FailureKind.FILES_CHECK_FAILED.type(), cause.getType());
    assertTrue(cause.getOriginalMessage().contains("verification of files source uploads failed"));
  }
}
