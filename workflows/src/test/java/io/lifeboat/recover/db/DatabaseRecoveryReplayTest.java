package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recovery workflow must replay the histories it makes (the success path, the compensation
 * path, the RTO timer firing mid-run) and those recorded from the real server by the
 * end-to-end runs: a recovery in flight survives a worker upgrade.
 */
class DatabaseRecoveryReplayTest {
  static final Path RECORDED = Path.of("src", "test", "resources", "histories", "recovery");

  private static WorkflowExecutionHistory record(Consumer<FakeRecoveryActivities> setUp,
      RecoveryRequest request) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        withAttributes(TestEnvironmentOptions.newBuilder()
            .setInitialTime(Instant.parse("2026-11-21T09:30:00Z"))).build());
    try {
      FakeRecoveryActivities fake = new FakeRecoveryActivities();
      setUp.accept(fake);
      Worker worker = env.newWorker("replay");
      worker.registerWorkflowImplementationTypes(DatabaseRecoveryWorkflowImpl.class);
      worker.registerActivitiesImplementations(fake);
      env.start();
      DatabaseRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(
          DatabaseRecoveryWorkflow.class, WorkflowOptions.newBuilder()
              .setWorkflowId("recover-db-replay").setTaskQueue("replay").build());
      try {
        wf.recover(request);
      } catch (WorkflowFailedException expected) {
        // the failure path's history is wanted too
      }
      return env.getWorkflowClient().fetchHistory("recover-db-replay");
    } finally {
      env.close();
    }
  }

  private static TestEnvironmentOptions.Builder withAttributes(TestEnvironmentOptions.Builder b) {
    for (var key : LifeboatSearchAttributes.ALL) {
      b.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return b;
  }

  private static long count(WorkflowExecutionHistory h, EventType type) {
    return h.getEvents().stream().filter(e -> e.getEventType() == type).count();
  }

  @Test
  void successCompensationAndRtoBreachHistoriesReplay() {
    WorkflowExecutionHistory ok = record(f -> { },
        DatabaseRecoveryWorkflowTest.request(RecoveryTarget.time("2026-11-21T09:14:00Z")));
    WorkflowExecutionHistory failed = record(
        f -> f.failFirst("verify", 99, FailureKind.VERIFICATION_FAILED),
        DatabaseRecoveryWorkflowTest.request(RecoveryTarget.latest()));
    RecoveryRequest base = DatabaseRecoveryWorkflowTest.request(RecoveryTarget.latest());
    WorkflowExecutionHistory breached = record(
        f -> f.failFirst("replay", 1, FailureKind.S3_UNAVAILABLE),
        new RecoveryRequest(base.database(), base.repository(), base.target(), 30, "farmtally",
            new RetryConfig(3, 31 * 60, 31 * 60)));
    // Not trivial: every step ran, the compensation ran, the RTO timer fired.
    assertTrue(count(ok, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) >= 11);
    assertTrue(count(failed, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) >= 9);
    assertTrue(count(breached, EventType.EVENT_TYPE_TIMER_FIRED) >= 1);
    for (WorkflowExecutionHistory h : new WorkflowExecutionHistory[] {ok, failed, breached}) {
      assertDoesNotThrow(() ->
          WorkflowReplayer.replayWorkflowExecution(h, DatabaseRecoveryWorkflowImpl.class));
    }
  }

  /** Histories exported from the real server ({@code temporal workflow show -o json}). */
  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplay() throws IOException {
    try (Stream<Path> files = Files.list(RECORDED)) {
      return files.filter(p -> p.getFileName().toString().startsWith("database-recovery-"))
          .sorted().toList().stream()
          .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () ->
              WorkflowReplayer.replayWorkflowExecution(
                  WorkflowExecutionHistory.fromJson(Files.readString(p)),
                  DatabaseRecoveryWorkflowImpl.class)));
    }
  }
}
