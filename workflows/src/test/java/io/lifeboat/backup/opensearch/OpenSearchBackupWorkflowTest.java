package io.lifeboat.backup.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
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
 * The order of an OpenSearch backup (the scratch restore before the manifest), the count range
 * it is given (before and after the snapshot), and no manifest when a step fails.
 */
class OpenSearchBackupWorkflowTest {
  private TestWorkflowEnvironment env;
  private Worker worker;

  static final class Fake implements OpenSearchBackupActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    boolean corrupt;
    int assessed;

    @Override
    public OpenSearchFacts opensearchAssess(OpenSearchConfig o) {
      calls.add("assess");
      // The node gains two documents while the snapshot runs.
      return new OpenSearchFacts("opensearch", "2.19.6", Map.of("tallies",
          assessed++ == 0 ? 300L : 302L, "farms", 20L));
    }

    @Override
    public OpenSearchSnapshot opensearchSnapshot(OpenSearchConfig o, String snapshot) {
      calls.add("snapshot");
      assertTrue(snapshot.startsWith("lifeboat-2026"), snapshot);
      return new OpenSearchSnapshot(snapshot, "uuid", List.of("farms", "tallies"), 3, 1, 2);
    }

    @Override
    public OpenSearchShipResult opensearchShipFiles(OpenSearchShipRequest r) {
      calls.add("ship");
      return new OpenSearchShipResult(OpenSearchLayout.fileListKey("p", "search",
          r.backupId()), 12, 12, 1000, 600, 600, "zstd");
    }

    @Override
    public OpenSearchVerifyResult opensearchVerifyStored(OpenSearchVerifyRequest r) {
      calls.add("verify");
      if (corrupt) throw FailureKind.BACKUP_CORRUPT.failure("flipped byte");
      assertEquals(300L, r.minDocuments().get("tallies"));
      assertEquals(302L, r.maxDocuments().get("tallies"));
      assertEquals(20L, r.maxDocuments().get("farms"));
      return new OpenSearchVerifyResult(Map.of("tallies", 301L, "farms", 20L), 12, 600);
    }

    @Override
    public void opensearchCommitManifest(RepositoryConfig repository, OpenSearchManifest m) {
      calls.add("commit");
    }

    @Override
    public List<String> opensearchApplyRetention(OpenSearchRetentionRequest request) {
      calls.add("retention");
      return List.of();
    }

    @Override
    public void opensearchDiscardIncomplete(OpenSearchDiscardRequest request) {
      calls.add("discard");
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T02:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(OpenSearchBackupWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private OpenSearchBackupWorkflow start(Fake fake, Object... more) {
    worker.registerActivitiesImplementations(fake);
    if (more.length > 0) worker.registerActivitiesImplementations(more);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(OpenSearchBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("opensearch-backup-test")
            .setTaskQueue(TaskQueues.DEFAULT).build());
  }

  private static OpenSearchBackupRequest request() {
    return new OpenSearchBackupRequest(
        new OpenSearchConfig("search", null, "http://127.0.0.1:9200", null, null, null,
            "/var/backups/search/lifeboat", null, null),
        new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
            null, null, null, null),
        new CompressionConfig(3, null), 30, new RetryConfig(2, 1, 1), null, null);
  }

  @Test
  void theStoredFilesAreRestoredBeforeTheManifestIsWritten() {
    Fake fake = new Fake();
    OpenSearchBackupResult r = start(fake).backup(request());
    assertEquals(List.of("assess", "snapshot", "assess", "ship", "verify", "commit",
        "retention"), fake.calls);
    assertEquals(Map.of("tallies", 301L, "farms", 20L), r.manifest().documents());
    assertTrue(r.manifest().fileListKey().startsWith("p/opensearch/search/snapshots/"),
        r.manifest().fileListKey());
  }

  private static OpenSearchBackupRequest notifying() {
    OpenSearchBackupRequest r = request();
    return new OpenSearchBackupRequest(r.opensearch(), r.repository(), r.compression(),
        r.retentionDays(), r.retry(), null, null, io.lifeboat.notify.RecordingNotifications.TARGET);
  }

  @Test
  void notifiesStartedThenFinishedWithBytesAndDuration() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    OpenSearchBackupResult r = start(new Fake(), news).backup(notifying());
    news.assertStartedThenFinished("opensearch", "search", r.manifest().backupId());
  }

  @Test
  void notifiesStartedThenFailedWithTheKindAndCause() {
    var news = new io.lifeboat.notify.RecordingNotifications();
    Fake fake = new Fake();
    fake.corrupt = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake, news).backup(notifying()));
    news.assertStartedThenFailed("opensearch", "search", "verify",
        FailureKind.BACKUP_CORRUPT.type(), "flipped byte");
  }

  @Test
  void aFailedVerificationCommitsNothingAndDiscards() {
    Fake fake = new Fake();
    fake.corrupt = true;
    assertThrows(WorkflowFailedException.class, () -> start(fake).backup(request()));
    assertEquals(List.of("assess", "snapshot", "assess", "ship", "verify", "discard"),
        fake.calls);
  }
}
