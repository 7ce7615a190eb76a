package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Workflow code must replay the histories it made: a change that alters the commands a running
 * backup would issue breaks every backup in flight when the worker is upgraded.
 */
class DatabaseBackupReplayTest {
  /** Histories recorded from a real server ({@code temporal workflow show -o json}). */
  static final Path RECORDED = Path.of("src", "test", "resources", "histories");

  private static WorkflowExecutionHistory happyPath;
  private static WorkflowExecutionHistory retriedThenFailed;

  @BeforeAll
  static void recordHistories() {
    happyPath = record(new FakeBackupActivities(), null);
    retriedThenFailed = record(
        new FakeBackupActivities().failAlways("dumpToRepository",
            FailureKind.PG_UNAVAILABLE),
        new RetryConfig(2, 1, 1));
  }

  /** Runs one backup on the in-memory server and returns the history it left. */
  private static WorkflowExecutionHistory record(FakeBackupActivities fake, RetryConfig retry) {
    TestWorkflowEnvironment env = BackupTestSupport.newEnvironment();
    try {
      Worker worker = env.newWorker(TaskQueues.DEFAULT);
      worker.registerWorkflowImplementationTypes(DatabaseBackupWorkflowImpl.class);
      worker.registerActivitiesImplementations(fake);
      env.start();
      DatabaseBackupWorkflow workflow = env.getWorkflowClient()
          .newWorkflowStub(DatabaseBackupWorkflow.class, BackupTestSupport.workflowOptions());
      try {
        workflow.backup(BackupTestSupport.request(retry));
      } catch (io.temporal.client.WorkflowFailedException expectedForFailingFakes) {
        // the failure path's history is what we want
      }
      return env.getWorkflowClient().fetchHistory(BackupTestSupport.WORKFLOW_ID);
    } finally {
      env.close();
    }
  }

  private static long count(WorkflowExecutionHistory history, EventType type) {
    return history.getEvents().stream().filter(e -> e.getEventType() == type).count();
  }

  @Test
  void happyPathHistoryReplays() throws Exception {
    // Guard against replaying something trivial: all five steps and the upserts are in it.
    assertEquals(5, count(happyPath, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED));
    assertEquals(2,
        count(happyPath, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES));
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        happyPath.getLastEvent().getEventType());

    WorkflowReplayer.replayWorkflowExecution(happyPath, DatabaseBackupWorkflowImpl.class);
  }

  @Test
  void happyPathHistoryReplaysFromItsJson() throws Exception {
    String json = happyPath.toJson(true);
    WorkflowReplayer.replayWorkflowExecution(json, DatabaseBackupWorkflowImpl.class);
  }

  @Test
  void failedBackupHistoryReplays() throws Exception {
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
        retriedThenFailed.getLastEvent().getEventType());
    WorkflowReplayer.replayWorkflowExecution(retriedThenFailed, DatabaseBackupWorkflowImpl.class);
  }

  /** The control: if the replayer accepted this, the tests above would prove nothing. */
  @Test
  void replayDetectsAChangedStepOrder() {
    Throwable e = assertThrows(Throwable.class, () ->
        WorkflowReplayer.replayWorkflowExecution(happyPath, SkipsAssessWorkflow.class));
    assertTrue(String.valueOf(causeChain(e)).toLowerCase().contains("nondetermin"),
        "expected a non-determinism error, got: " + causeChain(e));
  }

  @TestFactory
  Stream<DynamicTest> recordedServerHistoriesReplay() throws IOException {
    List<Path> files = recordedHistories();
    if (files.isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest("no recorded histories", () ->
          Assumptions.abort("no *.json under " + RECORDED.toAbsolutePath()
              + "; record one with `temporal workflow show -w ID -o json`")));
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> {
          String json = Files.readString(file, StandardCharsets.UTF_8);
          WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
          assertTrue(history.getEvents().size() > 2, file + " holds no real history");
          assertEquals("DatabaseBackupWorkflow", history.getEvents().get(0)
              .getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName(),
              file + " is not a DatabaseBackupWorkflow history");
          assertDoesNotThrow(
              () -> WorkflowReplayer.replayWorkflowExecution(json, DatabaseBackupWorkflowImpl.class),
              file + " no longer replays: the workflow code changed in a non-deterministic way");
        }));
  }

  static List<Path> recordedHistories() throws IOException {
    if (!Files.isDirectory(RECORDED)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(RECORDED)) {
      return s.filter(p -> p.getFileName().toString().startsWith("database-backup-") && p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  private static String causeChain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
    }
    return sb.toString();
  }

  /**
   * A "refactoring" that dumps without assessing first: same type and first command, a
   * different second one.
   */
  public static class SkipsAssessWorkflow implements DatabaseBackupWorkflow {
    @Override
    public BackupResult backup(DatabaseBackupRequest request) {
      Workflow.upsertTypedSearchAttributes(
          LifeboatSearchAttributes.DATABASE.valueSet(request.database().name()),
          LifeboatSearchAttributes.KIND.valueSet(LifeboatSearchAttributes.KIND_DB_FULL),
          LifeboatSearchAttributes.OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
      DatabaseBackupActivities a = Workflow.newActivityStub(DatabaseBackupActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(10)).build());
      String id = "20261121T020000Z";
      a.dumpToRepository(new DumpRequest(request.database(), request.repository(),
          request.compression(), id, "x/" + id));
      return new BackupResult(null, List.of(), null, List.of());
    }

    @Override
    public BackupStatus status() {
      return new BackupStatus(null, null, "starting", 0, List.of());
    }
  }
}
