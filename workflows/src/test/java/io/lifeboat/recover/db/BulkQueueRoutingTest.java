package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DatabaseBackupActivities;
import io.lifeboat.backup.dump.DatabaseBackupRequest;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.backup.dump.DatabaseBackupWorkflowImpl;
import io.lifeboat.backup.dump.DatabaseFacts;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.backup.dump.DumpRequest;
import io.lifeboat.backup.dump.DumpResult;
import io.lifeboat.backup.dump.RetentionRequest;
import io.lifeboat.backup.dump.VerifyRequest;
import io.lifeboat.backup.dump.VerifyResult;
import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.run.BulkQueue;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a dump's streaming steps take the bulk queue's slots, its quick steps and a
 * recovery the main queue's; with every bulk slot taken by a dump, a recovery still runs.
 */
class BulkQueueRoutingTest {
  static final String QUEUE = "bulk-routing-test";

  private TestWorkflowEnvironment env;
  private final BlockingDumps dumps = new BlockingDumps();
  private final FakeRecoveryActivities recovery = new FakeRecoveryActivities();

  @BeforeEach
  void setUp() {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-11-21T09:30:00Z")).setUseTimeskipping(false);
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    BulkQueue.serve(QUEUE);
    Worker main = env.newWorker(QUEUE,
        WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(4).build());
    main.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class,
        DatabaseRecoveryWorkflowImpl.class);
    main.registerActivitiesImplementations(dumps, recovery);
    // One bulk slot: the first dump takes it, the second waits for it.
    Worker bulk = env.newWorker(BulkQueue.of(QUEUE),
        WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1).build());
    bulk.registerActivitiesImplementations(dumps);
    env.start();
  }

  @AfterEach
  void tearDown() {
    dumps.release.countDown();
    BulkQueue.withdraw(QUEUE);
    env.close();
  }

  @Test
  void dumpsTakeTheBulkSlotsAndARecoveryStillRuns() throws Exception {
    WorkflowClient client = env.getWorkflowClient();
    DatabaseBackupWorkflow first = backup(client, "backup-first");
    DatabaseBackupWorkflow second = backup(client, "backup-second");
    WorkflowClient.start(first::backup, request("first_db"));
    WorkflowClient.start(second::backup, request("second_db"));
    // Both have assessed (main queue); one dump holds the only bulk slot.
    await(() -> dumps.count("assess") == 2 && dumps.count("dumpToRepository") == 1);

    RecoveryResult recovered = client.newWorkflowStub(DatabaseRecoveryWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(DatabaseRecoveryWorkflowTest.WORKFLOW_ID)
                .setTaskQueue(QUEUE).build())
        .recover(DatabaseRecoveryWorkflowTest.request(RecoveryTarget.latest()));
    assertTrue(recovery.methods().contains("storeReport"), recovery.methods().toString());
    assertEquals(1, dumps.count("dumpToRepository"),
        "the second dump waits for the bulk slot while the recovery runs: " + dumps.calls);
    assertTrue(recovered.report() != null);

    dumps.release.countDown();
    BackupResult a = client.newUntypedWorkflowStub("backup-first").getResult(BackupResult.class);
    BackupResult b = client.newUntypedWorkflowStub("backup-second").getResult(BackupResult.class);
    assertEquals("first_db", a.manifest().database());
    assertEquals("second_db", b.manifest().database());
    for (String[] call : dumps.calls) {
      String expected = switch (call[0]) {
        case "dumpToRepository", "verifyStoredDump" -> BulkQueue.of(QUEUE);
        default -> QUEUE;
      };
      assertEquals(expected, call[1], call[0] + " ran on the wrong queue");
    }
    assertEquals(2, dumps.count("verifyStoredDump"));
    // The recorded decision replays, also where nothing serves the bulk queue.
    BulkQueue.withdraw(QUEUE);
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory("backup-first"), DatabaseBackupWorkflowImpl.class);
  }

  private static DatabaseBackupWorkflow backup(WorkflowClient client, String id) {
    return client.newWorkflowStub(DatabaseBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
  }

  private static DatabaseBackupRequest request(String db) {
    return new DatabaseBackupRequest(
        new DatabaseConfig(db, "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null, null),
        new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", "it", null, null, "A",
            "B", null, null, null, null, null),
        new CompressionConfig(3, null), 30, new io.lifeboat.config.RetryConfig(3, 1, 2));
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 2 min");
      Thread.sleep(50);
    }
  }

  /** Dumps that hold their slot (heartbeating) until released; every call with its queue. */
  static final class BlockingDumps implements DatabaseBackupActivities {
    final List<String[]> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    long count(String method) {
      return calls.stream().filter(c -> c[0].equals(method)).count();
    }

    private void enter(String method) {
      calls.add(new String[] {method,
          Activity.getExecutionContext().getInfo().getActivityTaskQueue()});
    }

    @Override
    public DatabaseFacts assess(DatabaseConfig database) {
      enter("assess");
      return new DatabaseFacts("15.18", 1000);
    }

    @Override
    public DumpResult dumpToRepository(DumpRequest request) {
      enter("dumpToRepository");
      try {
        while (!release.await(1, TimeUnit.SECONDS)) {
          Activity.getExecutionContext().heartbeat(null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new DumpResult(request.objectKey(), 10, 5, "ab", "pg_dump 15", "zstd-3", null, 1, 2);
    }

    @Override
    public VerifyResult verifyStoredDump(VerifyRequest request) {
      enter("verifyStoredDump");
      return new VerifyResult(request.expectedSha256(), request.expectedBytes(), 3);
    }

    @Override
    public void commitManifest(RepositoryConfig repository, BackupManifest manifest) {
      enter("commitManifest");
    }

    @Override
    public List<String> applyRetention(RetentionRequest request) {
      enter("applyRetention");
      return List.of();
    }

    @Override
    public void discardIncomplete(DiscardRequest request) {
      enter("discardIncomplete");
    }
  }
}
