package io.lifeboat.backup.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.recover.mariadb.MariaDbPitrActivities;
import io.lifeboat.recover.mariadb.MariaDbReplayPlan;
import io.lifeboat.recover.mariadb.MariaDbReplayRequest;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A physical MariaDB backup goes through mariadb-backup's activities and commits a
 * mariadb-backup manifest; a logical backup recorded by the workflow before physical backups
 * existed still replays (Workflow.getVersion only on the physical path).
 */
class MariaDbBackupWorkflowTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private MariaDbManifest committed;

  private static MariaDbDumpResult result(String key) {
    return new MariaDbDumpResult(key, 100, 50, "ab", "zstd", "mysql-bin.000002", 1653L, null,
        new MariaDbFacts("10.11", List.of("billing"), Map.of("billing.t", 7L), true), 1, 2,
        "tool 10.11");
  }

  final class Logical implements MariaDbBackupActivities {
    public MariaDbFacts mariadbAssess(MariaDbConfig m) {
      calls.add("assess");
      return new MariaDbFacts("10.11", List.of("billing"), Map.of("billing.t", 7L), true);
    }

    public MariaDbDumpResult mariadbDumpToRepository(MariaDbDumpRequest r) {
      calls.add("dump");
      return result(r.objectKey());
    }

    public MariaDbVerifyResult mariadbVerifyStoredDump(MariaDbVerifyRequest r) {
      calls.add("verify-dump");
      return new MariaDbVerifyResult("ab", 50, List.of(new MariaDbTable("billing.t", 1, 7)), 1,
          List.of(), "127.0.0.1:1");
    }

    public void mariadbCommitManifest(RepositoryConfig repo, MariaDbManifest m) {
      calls.add("commit");
      committed = m;
    }

    public List<String> mariadbApplyRetention(MariaDbRetentionRequest r) {
      calls.add("retention");
      return List.of();
    }

    public void mariadbDiscardIncomplete(MariaDbDiscardRequest r) {
      calls.add("discard");
    }
  }

  final class Physical implements MariaDbPhysicalActivities {
    public MariaDbDumpResult mariadbPhysicalToRepository(MariaDbDumpRequest r) {
      calls.add("physical");
      return result(r.objectKey());
    }

    public MariaDbVerifyResult mariadbVerifyStoredPhysical(MariaDbVerifyRequest r) {
      calls.add("verify-physical");
      return new MariaDbVerifyResult("ab", 50, List.of(new MariaDbTable("billing.t", 1, 7)), 1,
          List.of(), "127.0.0.1:1");
    }
  }

  final class Pitr implements MariaDbPitrActivities {
    public List<String> mariadbArchiveBinlogs(MariaDbConfig m, RepositoryConfig r) {
      calls.add("archive");
      return List.of("mysql-bin.000001");
    }

    public MariaDbManifest mariadbChooseBackupBefore(RepositoryConfig r, String n, long t) {
      throw new UnsupportedOperationException();
    }

    public MariaDbReplayPlan mariadbPlanReplay(MariaDbReplayRequest r) {
      throw new UnsupportedOperationException();
    }

    public void mariadbReplay(MariaDbReplayRequest r, MariaDbReplayPlan p) {
      throw new UnsupportedOperationException();
    }
  }

  private static MariaDbBackupRequest request(Boolean physical) {
    return new MariaDbBackupRequest(
        new MariaDbConfig("billing", null, null, null, null, null, List.of("billing"), null),
        new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
            null, null, null, null), CompressionConfig.DEFAULT, 7, new RetryConfig(2, 1, 1),
        null, null, null, physical);
  }

  private WorkflowExecutionHistory run(Class<?> impl, Boolean physical) {
    TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes(
        Instant.parse("2026-12-06T03:00:00Z"));
    try {
      Worker worker = env.newWorker(TaskQueues.DEFAULT);
      worker.registerWorkflowImplementationTypes(impl);
      worker.registerActivitiesImplementations(new Logical(), new Physical(), new Pitr());
      env.start();
      MariaDbBackupWorkflow wf = env.getWorkflowClient().newWorkflowStub(
          MariaDbBackupWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId("backup-mariadb-test").setTaskQueue(TaskQueues.DEFAULT).build());
      wf.backup(request(physical));
      return env.getWorkflowClient().fetchHistory("backup-mariadb-test");
    } finally {
      env.close();
    }
  }

  @Test
  void aPhysicalBackupUsesMariadbBackupAndCommitsItsKind() throws Exception {
    WorkflowExecutionHistory h = run(MariaDbBackupWorkflowImpl.class, true);
    assertEquals(List.of("assess", "physical", "verify-physical", "commit", "retention",
        "archive"), calls);
    assertEquals(MariaDbManifest.KIND_PHYSICAL, committed.kind());
    assertTrue(committed.objectKey().endsWith("/backup.xbstream.zst"), committed.objectKey());
    WorkflowReplayer.replayWorkflowExecution(h, MariaDbBackupWorkflowImpl.class);
  }

  @Test
  void aLogicalBackupRecordedBeforePhysicalOnesReplays() throws Exception {
    WorkflowExecutionHistory old = run(LegacyMariaDbBackupWorkflowImpl.class, null);
    assertEquals(List.of("assess", "dump", "verify-dump", "commit", "retention", "archive"),
        calls);
    assertEquals(MariaDbManifest.KIND, committed.kind());
    WorkflowReplayer.replayWorkflowExecution(old, MariaDbBackupWorkflowImpl.class);
    // The control: a physical request's history does not replay on the legacy code.
    calls.clear();
    WorkflowExecutionHistory physical = run(MariaDbBackupWorkflowImpl.class, true);
    assertThrows(Throwable.class, () -> WorkflowReplayer.replayWorkflowExecution(physical,
        LegacyMariaDbBackupWorkflowImpl.class));
  }
}
