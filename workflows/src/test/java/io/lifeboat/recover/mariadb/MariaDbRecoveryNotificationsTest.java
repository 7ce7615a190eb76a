package io.lifeboat.recover.mariadb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.RecordingNotifications;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A MariaDB recovery says started, then finished with the backup, or failed with the cause. */
class MariaDbRecoveryNotificationsTest {
  private static final String ID = "recover-mariadb-billing-news";
  private static final String BACKUP = "20261206T020000Z.000-abcd1234";
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final RecordingNotifications news = new RecordingNotifications();

  static final class Fake implements MariaDbRecoveryActivities {
    boolean damaged;

    @Override
    public MariaDbManifest mariadbChooseBackup(RepositoryConfig r, String name, String id) {
      return new MariaDbManifest(1, BACKUP, "mariadb-dump", "billing", "127.0.0.1:3306", "10.11",
          "2026-12-06T02:00:00Z", "2026-12-06T02:00:01Z", List.of("billing"), List.of(),
          "mysql-bin.000002", 1653L, null, 10, 5, "ab", "zstd",
          "p/mariadb/billing/x/dump.sql.zst", Map.of(), "ok", "wf", null);
    }

    @Override
    public void mariadbCheckStored(MariaDbRestoreRequest request) {
      if (damaged) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored dump of billing: sha256 differs"
            + "\nexpected ab, got cd");
      }
    }

    @Override
    public Map<String, String> mariadbSetAside(MariaDbRestoreRequest request) {
      return Map.of();
    }

    @Override
    public void mariadbLoad(MariaDbRestoreRequest request) {}

    @Override
    public int mariadbValidate(MariaDbRestoreRequest request) {
      return 3;
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(MariaDbRecoveryWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private MariaDbRecoveryResult run(Fake fake) {
    worker.registerActivitiesImplementations(fake, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(MariaDbRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new MariaDbRecoveryRequest(
            new MariaDbConfig("billing", null, null, null, null, null, List.of("billing"), null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), null, null, new RetryConfig(2, 1, 1),
            RecordingNotifications.TARGET));
  }

  @Test
  void startedThenFinishedWithTheBackupAndReplays() throws Exception {
    run(new Fake());
    var f = news.assertRecoveryStartedThenFinished(
        MariaDbRecoveryWorkflowImpl.KIND_MARIADB_RECOVERY, "billing", BACKUP);
    assertTrue(f.text().contains("3 tables"), f.text());
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        MariaDbRecoveryWorkflowImpl.class);
  }

  @Test
  void aDamagedDumpSaysFailedAtTheCheckWithOneLine() {
    Fake fake = new Fake();
    fake.damaged = true;
    assertThrows(WorkflowFailedException.class, () -> run(fake));
    var n = news.assertRecoveryStartedThenFailed(
        MariaDbRecoveryWorkflowImpl.KIND_MARIADB_RECOVERY, "billing", "check-stored",
        FailureKind.BACKUP_CORRUPT.type(), "sha256 differs");
    assertTrue(!n.details().get("Cause").contains("expected ab"), "one line: " + n);
  }
}
