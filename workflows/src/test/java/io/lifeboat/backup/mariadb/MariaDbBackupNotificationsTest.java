package io.lifeboat.backup.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A MariaDB backup says started, then finished with its bytes, or failed with the cause. */
class MariaDbBackupNotificationsTest {
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final RecordingNotifications news = new RecordingNotifications();

  static final class Fake implements MariaDbBackupActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    boolean wrongPassword;

    @Override public MariaDbFacts mariadbAssess(MariaDbConfig m) {
      calls.add("assess");
      if (wrongPassword) {
        throw FailureKind.MARIADB_AUTH_FAILED.failure("Access denied for user 'root'@'localhost'"
            + "\n(using password: YES)");
      }
      return new MariaDbFacts("10.11.6-MariaDB", List.of("shop"), Map.of("shop.t", 1L), false);
    }

    @Override public MariaDbDumpResult mariadbDumpToRepository(MariaDbDumpRequest r) {
      calls.add("dump");
      return new MariaDbDumpResult(r.objectKey(), 4096, 1500, "ab", "zstd", null, null, null,
          new MariaDbFacts("10.11.6-MariaDB", List.of("shop"), Map.of("shop.t", 1L), false),
          1, 2, "mariadb-dump 10.11");
    }

    @Override public MariaDbVerifyResult mariadbVerifyStoredDump(MariaDbVerifyRequest r) {
      calls.add("verify");
      return new MariaDbVerifyResult("ab", 1500, List.of(new MariaDbTable("shop.t", 3, 1L)), 1,
          List.of(), "scratch");
    }

    @Override public void mariadbCommitManifest(RepositoryConfig repository, MariaDbManifest m) {
      calls.add("commit");
    }

    @Override public List<String> mariadbApplyRetention(MariaDbRetentionRequest request) {
      calls.add("retention");
      return List.of();
    }

    @Override public void mariadbDiscardIncomplete(MariaDbDiscardRequest request) {
      calls.add("discard");
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T02:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(MariaDbBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private MariaDbBackupWorkflow start(Fake fake) {
    worker.registerActivitiesImplementations(fake, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(MariaDbBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("mariadb-backup-shop-test")
            .setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static MariaDbBackupRequest request() {
    return new MariaDbBackupRequest(
        new MariaDbConfig("shop", null, null, null, null, "MARIADB_PW", List.of("shop"), null),
        new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
            null, null, null, null),
        new CompressionConfig(3, null), 30, new RetryConfig(2, 1, 1), null, null,
        RecordingNotifications.TARGET, null);
  }

  @Test
  void startedThenFinishedWithBytes() throws Exception {
    MariaDbBackupResult r = start(new Fake()).backup(request());
    var f = news.assertStartedThenFinished("mariadb", "shop", r.manifest().backupId());
    assertEquals("1500", f.details().get("Stored bytes"));
    assertEquals("4096", f.details().get("Raw bytes"));
    WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient().fetchHistory("mariadb-backup-shop-test"),
        MariaDbBackupWorkflowImpl.class);
  }

  @Test
  void aWrongPasswordSaysFailedWithTheKindAndTheFirstLineOfTheCause() {
    Fake fake = new Fake();
    fake.wrongPassword = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake).backup(request()));
    var n = news.assertStartedThenFailed("mariadb", "shop", "assess",
        FailureKind.MARIADB_AUTH_FAILED.type(), "Access denied for user");
    assertTrue(!n.details().get("Cause").contains("using password"), "one line: " + n);
    assertEquals(List.of("assess", "discard"), fake.calls);
  }
}
