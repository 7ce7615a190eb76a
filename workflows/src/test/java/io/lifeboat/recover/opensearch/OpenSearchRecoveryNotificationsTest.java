package io.lifeboat.recover.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.config.OpenSearchConfig;
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

/** An OpenSearch recovery says started, then finished with the backup, or failed with the cause. */
class OpenSearchRecoveryNotificationsTest {
  private static final String ID = "recover-opensearch-search-news";
  private static final String BACKUP = "20261206T020000Z.000-abcd1234";
  private TestWorkflowEnvironment env;
  private Worker worker;
  private final RecordingNotifications news = new RecordingNotifications();

  static final class Fake implements OpenSearchRecoveryActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    long stagedDocs = 7;

    @Override
    public OpenSearchManifest opensearchChooseBackup(RepositoryConfig r, String name, String id) {
      calls.add("choose");
      return new OpenSearchManifest(1, BACKUP, OpenSearchManifest.KIND, name,
          "http://127.0.0.1:9200", "opensearch", "2.11", "lifeboat", "snap", "u",
          "2026-12-06T02:00:00Z", "2026-12-06T02:00:01Z", Map.of("products", 7L), 3, 100, 50,
          50, "p/opensearch/search/x/files.json", "zstd", "ok", "wf", null);
    }

    @Override
    public void opensearchStage(OpenSearchStageRequest request) {
      calls.add("stage");
    }

    @Override
    public Map<String, Long> opensearchRestoreStaged(OpenSearchStageRequest request) {
      calls.add("restore-staged");
      return Map.of("products", stagedDocs);
    }

    @Override
    public OpenSearchSwapResult opensearchSwap(OpenSearchStageRequest request) {
      calls.add("swap");
      return new OpenSearchSwapResult(Map.of("products", 7L),
          Map.of("products", "products-before-x"));
    }

    @Override
    public void opensearchDiscardStage(OpenSearchStageRequest request) {
      calls.add("discard");
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(OpenSearchRecoveryWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private OpenSearchRecoveryResult run(Fake fake) {
    worker.registerActivitiesImplementations(fake, news);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(OpenSearchRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new OpenSearchRecoveryRequest(
            new OpenSearchConfig("search", null, "http://127.0.0.1:9200", null, null, null,
                "/var/backups/search/lifeboat", null, null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), BACKUP, null, new RetryConfig(2, 1, 1),
            RecordingNotifications.TARGET));
  }

  @Test
  void startedThenFinishedWithTheBackupAndReplays() throws Exception {
    Fake fake = new Fake();
    run(fake);
    var f = news.assertRecoveryStartedThenFinished(
        OpenSearchRecoveryWorkflowImpl.KIND_OPENSEARCH_RECOVERY, "search", BACKUP);
    assertEquals(BACKUP, news.sent.get(0).details().get("Backup id"));
    assertTrue(f.text().contains("products=7"), f.text());
    assertEquals(List.of("choose", "stage", "restore-staged", "swap", "discard"), fake.calls);
    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        OpenSearchRecoveryWorkflowImpl.class);
  }

  @Test
  void aWrongStagedCountSaysFailedAfterTheScratchIsGone() {
    Fake fake = new Fake();
    fake.stagedDocs = 6;
    assertThrows(WorkflowFailedException.class, () -> run(fake));
    news.assertRecoveryStartedThenFailed(
        OpenSearchRecoveryWorkflowImpl.KIND_OPENSEARCH_RECOVERY, "search", "restore-staged",
        FailureKind.RECOVERY_FAILED.type(), "no live index was touched");
    assertEquals(List.of("choose", "stage", "restore-staged", "discard"), fake.calls);
  }
}
