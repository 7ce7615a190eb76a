package io.lifeboat.recover.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
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
 * The order of a MariaDB recovery: nothing is set aside before the stored dump was read back
 * (and, with --to, before the binlogs were archived and the replay planned); the replay comes
 * after the validated load.
 */
class MariaDbRecoveryWorkflowTest {
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private boolean outsideWindow;
  private boolean physical;
  private String dataDir;

  private MariaDbManifest manifest() {
    return new MariaDbManifest(1, "20261206T020000Z.000-abcd1234",
        physical ? MariaDbManifest.KIND_PHYSICAL : "mariadb-dump", "billing",
        "127.0.0.1:3306", "10.11", "2026-12-06T02:00:00Z", "2026-12-06T02:00:01Z",
        List.of("billing"), List.of(), "mysql-bin.000002", 1653L, null, 10, 5, "ab", "zstd",
        "p/mariadb/billing/x/dump.sql.zst", Map.of(), "ok", "wf", null);
  }

  final class Recovery implements MariaDbRecoveryActivities {
    @Override
    public MariaDbManifest mariadbChooseBackup(RepositoryConfig r, String name, String id) {
      calls.add("choose");
      return manifest();
    }

    @Override
    public void mariadbCheckStored(MariaDbRestoreRequest request) {
      calls.add("check");
    }

    @Override
    public Map<String, String> mariadbSetAside(MariaDbRestoreRequest request) {
      calls.add("set-aside");
      return Map.of("billing", "billing_before_" + request.runKey());
    }

    @Override
    public void mariadbLoad(MariaDbRestoreRequest request) {
      calls.add("load");
    }

    @Override
    public int mariadbValidate(MariaDbRestoreRequest request) {
      calls.add("validate");
      return 3;
    }
  }

  final class Pitr implements MariaDbPitrActivities {
    @Override
    public List<String> mariadbArchiveBinlogs(MariaDbConfig m, RepositoryConfig r) {
      calls.add("archive");
      return List.of("mysql-bin.000002");
    }

    @Override
    public MariaDbManifest mariadbChooseBackupBefore(RepositoryConfig r, String n, long t) {
      calls.add("choose-before");
      return manifest();
    }

    @Override
    public MariaDbReplayPlan mariadbPlanReplay(MariaDbReplayRequest request) {
      calls.add("plan");
      if (outsideWindow) throw FailureKind.BACKUP_NOT_FOUND.failure("outside the binlog window");
      return new MariaDbReplayPlan(List.of("mysql-bin.000002"), 1653, 2000L, 4, "x");
    }

    @Override
    public void mariadbReplay(MariaDbReplayRequest request, MariaDbReplayPlan plan) {
      calls.add("replay");
    }
  }

  final class Physical implements MariaDbPhysicalRecoveryActivities {
    @Override
    public String mariadbPhysicalRestoreDir(MariaDbPhysicalRestoreRequest request) {
      calls.add("restore-dir");
      return request.mariadb().dataDir() + ".restore-" + request.runKey();
    }

    @Override
    public List<io.lifeboat.backup.mariadb.MariaDbTable> mariadbPhysicalPrepareCopy(
        MariaDbPhysicalRestoreRequest request, MariaDbReplayPlan plan) {
      calls.add(plan == null ? "check-copy" : "replay-into-copy " + plan.stopPosition());
      return List.of(new io.lifeboat.backup.mariadb.MariaDbTable("billing.ev", 3, 42L));
    }

    @Override
    public String mariadbPhysicalSwapAndStart(MariaDbPhysicalRestoreRequest request) {
      calls.add("swap");
      return request.mariadb().dataDir() + ".before-x";
    }

    @Override
    public int mariadbPhysicalValidate(MariaDbPhysicalRestoreRequest request,
        List<io.lifeboat.backup.mariadb.MariaDbTable> expected) {
      calls.add("validate-live");
      return expected.size();
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(MariaDbRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(new Recovery(), new Pitr(), new Physical());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private MariaDbRecoveryResult run(Long target) {
    MariaDbRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        MariaDbRecoveryWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId("recover-mariadb-test").setTaskQueue(TaskQueues.DEFAULT).build());
    return wf.recover(new MariaDbRecoveryRequest(
        new MariaDbConfig("billing", null, null, null, null, null, List.of("billing"), null,
            null, null, dataDir, null),
        new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
            null, null, null, null), null, target, new RetryConfig(2, 1, 1)));
  }

  @Test
  void aPlainRecoveryReadsBackBeforeItSetsAside() {
    MariaDbRecoveryResult r = run(null);
    assertEquals(List.of("choose", "check", "set-aside", "load", "validate"), calls);
    assertEquals(3, r.tables());
    assertEquals(null, r.replay());
  }

  @Test
  void toTimeArchivesAndPlansFirstAndReplaysLast() {
    MariaDbRecoveryResult r = run(Instant.parse("2026-12-06T02:30:00Z").toEpochMilli());
    assertEquals(List.of("archive", "choose-before", "plan", "check", "set-aside", "load",
        "validate", "replay"), calls);
    assertEquals(2000L, r.replay().stopPosition());
  }

  @Test
  void aTargetOutsideTheWindowTouchesNothing() {
    outsideWindow = true;
    assertThrows(WorkflowFailedException.class,
        () -> run(Instant.parse("2026-12-06T05:00:00Z").toEpochMilli()));
    assertEquals(List.of("archive", "choose-before", "plan"), calls);
  }

  @Test
  void aPhysicalBackupIsPreparedBesideReplayedThenSwappedIn() {
    physical = true;
    dataDir = "/var/lib/mysql";
    MariaDbRecoveryResult r = run(Instant.parse("2026-12-06T02:30:00Z").toEpochMilli());
    assertEquals(List.of("archive", "choose-before", "plan", "restore-dir",
        "replay-into-copy 2000", "swap", "validate-live"), calls);
    assertEquals(Map.of("/var/lib/mysql", "/var/lib/mysql.before-x"), r.kept());
    assertEquals(1, r.tables());
  }

  @Test
  void aPhysicalBackupWithoutADataDirTouchesNothing() {
    physical = true;
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run(null));
    assertEquals(List.of("choose"), calls);
    io.temporal.failure.ApplicationFailure cause =
        (io.temporal.failure.ApplicationFailure) e.getCause();
    assertEquals(true, cause.getOriginalMessage().contains("needs mariadb[].dataDir"),
        cause.getOriginalMessage());
  }
}
