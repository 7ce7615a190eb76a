package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.PlacedFake;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.rollback.ApplicationRollbackWorkflowTest;
import io.lifeboat.run.TestEnvironments;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where each step of a files backup runs on a source with a host: restic's repository is in the
 * object store (only the backup on the host); borg's and rsync's is a path on the host (init,
 * backup, check and retention there). The manifest is written from the main queue either way.
 */
class FilesPlacementTest {
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String APP1 = TaskQueues.forHost(MAIN, "app1");
  private static final String BACKUP1 = TaskQueues.forHost(MAIN, "backup1");
  private TestWorkflowEnvironment env;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  /** The fake of FilesBackupWorkflowTest, each call recorded with the queue it was served on. */
  final class Where extends FilesBackupWorkflowTest.Fake {
    private void at(String step) {
      FilesPlacementTest.this.calls.add(step + "@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
    }

    @Override public boolean filesInit(ResticTarget t) {
      at("init");
      return super.filesInit(t);
    }

    @Override public FilesSnapshot filesBackup(ResticTarget t) {
      at("backup");
      return super.filesBackup(t);
    }

    @Override public FilesSnapshot filesSeal(ResticTarget t) {
      at("seal");
      return super.filesSeal(t);
    }

    @Override public FilesCheck filesCheck(ResticTarget t) {
      at("check");
      return super.filesCheck(t);
    }

    @Override public FilesRetention filesForget(ResticTarget t) {
      at("forget");
      return super.filesForget(t);
    }

    @Override public String filesCommitManifest(ResticTarget t, FilesManifest m) {
      at("commit");
      return super.filesCommitManifest(t, m);
    }
  }

  private FilesBackupWorkflow start(Where fake) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-11-21T03:00:00Z"));
    Worker main = env.newWorker(MAIN);
    main.registerWorkflowImplementationTypes(FilesBackupWorkflowImpl.class);
    main.registerActivitiesImplementations(fake, PlacedFake.agentsPresent(new CopyOnWriteArrayList<>()));
    env.newWorker(APP1).registerActivitiesImplementations(fake);
    env.newWorker(BACKUP1).registerActivitiesImplementations(fake);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(FilesBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("files-test").setTaskQueue(MAIN).build());
  }

  private static FilesBackupRequest request(String engine) {
    FilesConfig f = new FilesConfig("uploads", "app1", List.of("/srv/uploads"), List.of(), engine,
        engine.equals("rsync") ? null : "PW", new FilesConfig.Keep(1, 0, 0, 0), 100, null, null,
        engine.equals("restic") ? null : "/var/backups/uploads");
    return new FilesBackupRequest(f, ApplicationRollbackWorkflowTest.repository(),
        new RetryConfig(2, 1, 1), "manual");
  }

  @Test
  void resticBacksUpOnTheHostAndWorksOnTheRepositoryFromAnywhere() {
    start(new Where()).backup(request("restic"));
    assertEquals(List.of("init@" + MAIN, "backup@" + APP1, "check@" + MAIN, "forget@" + MAIN,
        "commit@" + MAIN), calls);
  }

  @Test
  void borgAndRsyncWorkOnTheirRepositoryPathOnTheHost() {
    for (String engine : List.of("borg", "rsync")) {
      calls.clear();
      FilesBackupResult r = start(new Where()).backup(request(engine));
      assertEquals(List.of("init@" + APP1, "backup@" + APP1, "check@" + APP1, "forget@" + APP1,
          "commit@" + MAIN), calls, engine);
      assertEquals("/var/backups/uploads", r.manifest().repository());
      assertEquals(engine, r.manifest().engine());
      env.close();
      env = null;
    }
  }

  /** The source on app1, its repository on backup1 (10.0.0.9) as lb over ssh. */
  private static FilesBackupRequest overSsh(String engine) {
    FilesConfig l = request(engine).files();
    FilesConfig f = new FilesConfig(l.name(), l.host(), l.paths(), l.excludes(), l.engine(),
        l.passwordEnv(), l.keep(), l.checkReadDataPercent(), null, null, l.repositoryPath(), null,
        "backup1", "lb", null);
    return new FilesBackupRequest(f, ApplicationRollbackWorkflowTest.repository(),
        new RetryConfig(2, 1, 1), "manual", null, "10.0.0.9");
  }

  @Test
  void borgOnARepositoryHostStillRunsEveryStepOnTheSourcesHost() {
    FilesBackupResult r = start(new Where()).backup(overSsh("borg"));
    assertEquals(List.of("init@" + APP1, "backup@" + APP1, "check@" + APP1, "forget@" + APP1,
        "commit@" + MAIN), calls);
    assertEquals("ssh://lb@10.0.0.9/var/backups/uploads", r.manifest().repository());
  }

  @Test
  void rsyncPushesFromTheSourcesHostAndTheRepositoryHostsAgentSealsChecksAndPrunes() {
    FilesBackupResult r = start(new Where()).backup(overSsh("rsync"));
    assertEquals(List.of("init@" + BACKUP1, "backup@" + APP1, "seal@" + BACKUP1,
        "check@" + BACKUP1, "forget@" + BACKUP1, "commit@" + MAIN), calls);
    assertEquals("ssh://lb@10.0.0.9/var/backups/uploads", r.manifest().repository());
    assertEquals(7, r.manifest().totalFiles(), "the totals are the seal's");
  }

  @Test
  void aFailedBorgCheckNamesBorgNotRestic() {
    Where fake = new Where();
    fake.damaged = true;
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> start(fake).backup(request("borg")));
    ApplicationFailure cause = (ApplicationFailure) e.getCause();
    assertEquals(FailureKind.FILES_CHECK_FAILED.type(), cause.getType());
    assertTrue(cause.getOriginalMessage().contains("borg generation abcd1234 recorded, nothing"
        + " pruned"), cause.getOriginalMessage());
    assertTrue(!cause.getOriginalMessage().contains("restic"), cause.getOriginalMessage());
  }
}
