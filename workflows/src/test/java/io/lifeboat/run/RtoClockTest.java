package io.lifeboat.run;

import static io.lifeboat.run.ClockedRunWorkflow.WATCH;
import static io.lifeboat.run.ClockedRunWorkflow.WATCH_FOR_BREACH;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_FAILED;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_SUCCEEDED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_AT_RISK;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_BREACHED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_MET;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_ON_TRACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.rollback.ApplicationRollbackWorkflowTest;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RTO clock, the outcome upserts and the report writer in a workflow (time skipped): both
 * watches the recorded workflows use, at-risk and breach as they happen, met or breached at
 * the end, the report stored or, when storing fails, said and not fatal.
 */
class RtoClockTest {
  private TestWorkflowEnvironment env;
  private final List<RunReport> stored = new CopyOnWriteArrayList<>();
  private final AtomicInteger storeAttempts = new AtomicInteger();
  private volatile boolean storeFails;

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T10:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(ClockedRunWorkflowImpl.class);
    worker.registerActivitiesImplementations((ReportActivities) request -> {
      storeAttempts.incrementAndGet();
      if (storeFails) throw FailureKind.CONFIG_INVALID.failure("no such bucket");
      stored.add(request.report());
      return new ReportActivities.StoredReport("reports/" + stored.size() + ".json", null, null);
    });
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ClockedRunWorkflow.Seen run(String watch, int rtoMinutes, List<Integer> steps,
      boolean failLast) {
    ClockedRunWorkflow wf = env.getWorkflowClient().newWorkflowStub(ClockedRunWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("clocked").setTaskQueue(TaskQueues.DEFAULT)
            .build());
    return wf.run(new ClockedRunWorkflow.Plan(watch, rtoMinutes, steps, failLast,
        ApplicationRollbackWorkflowTest.repository()));
  }

  /** Workflow time: the skipped minutes, plus the few real milliseconds each task took. */
  private static void assertAbout(long expectedMillis, long actualMillis) {
    assertTrue(actualMillis >= expectedMillis && actualMillis < expectedMillis + 5_000,
        actualMillis + " ms, expected about " + expectedMillis);
  }

  @Test
  void aRunWithinItsRtoStaysOnTrackAndMeetsIt() {
    ClockedRunWorkflow.Seen seen = run(WATCH, 10, List.of(3, 3), false);
    assertEquals(List.of(RTO_ON_TRACK, RTO_ON_TRACK), seen.afterEachStep());
    assertEquals(RTO_MET, seen.end());
    assertEquals(OUTCOME_SUCCEEDED, seen.outcome());
    assertAbout(6 * 60_000L, seen.elapsedMillis());
    assertEquals(0, seen.atRiskCalls());
    assertEquals("reports/1.json", seen.reportKey());
    RunReport report = stored.get(0);
    assertEquals("test-run", report.kind());
    assertEquals("orders", report.subject());
    assertEquals(RunReport.SUCCEEDED, report.outcome());
    assertEquals(10 * 60_000L, report.rtoTargetMillis());
    assertAbout(6 * 60_000L, report.durationMillis());
    assertEquals("2", report.facts().get("steps"));
    assertEquals("met", report.rtoStatus());
  }

  @Test
  void theWatchMarksAtRiskAndTheBreachWhileAStepRuns() {
    // At-risk at 8 min, inside the first step; breached at 10, inside the second.
    ClockedRunWorkflow.Seen seen = run(WATCH, 10, List.of(9, 3), false);
    assertEquals(List.of(RTO_AT_RISK, RTO_BREACHED), seen.afterEachStep());
    assertEquals(1, seen.atRiskCalls());
    assertEquals(RTO_BREACHED, seen.end(), "a late success does not meet its RTO");
    assertEquals(OUTCOME_SUCCEEDED, seen.outcome());
  }

  @Test
  void aFailedRunNeverMeetsItsRtoAndItsReportSaysWhere() {
    ClockedRunWorkflow.Seen seen = run(WATCH, 10, List.of(1, 2), true);
    assertEquals(List.of(RTO_ON_TRACK, RTO_ON_TRACK), seen.afterEachStep());
    assertEquals(RTO_BREACHED, seen.end());
    assertEquals(OUTCOME_FAILED, seen.outcome());
    RunReport report = stored.get(0);
    assertEquals(RunReport.FAILED, report.outcome());
    assertEquals(List.of("failed in step step-1: step failed"), report.notes());
    assertEquals("failed", report.steps().get(1).outcome());
  }

  @Test
  void theRollbacksWatchUpdatesAfterEachStepAndBreachesOnTime() {
    // 9 min: past 80 % of 10, so at-risk after the step; the one timer breaches at 10.
    ClockedRunWorkflow.Seen seen = run(WATCH_FOR_BREACH, 10, List.of(9, 3), false);
    assertEquals(List.of(RTO_AT_RISK, RTO_BREACHED), seen.afterEachStep());
    assertEquals(RTO_BREACHED, seen.end());
    assertEquals(0, seen.atRiskCalls());
  }

  @Test
  void theRollbacksClockKeepsOnTrackAtTheEndOfAQuickRun() {
    // As recorded: the rollback writes no "met", its last status stands.
    ClockedRunWorkflow.Seen seen = run(WATCH_FOR_BREACH, 10, List.of(2, 2), false);
    assertEquals(List.of(RTO_ON_TRACK, RTO_ON_TRACK), seen.afterEachStep());
    assertEquals(RTO_ON_TRACK, seen.end());
    assertEquals(OUTCOME_SUCCEEDED, seen.outcome());
  }

  @Test
  void aFailedRollbackIsBreached() {
    ClockedRunWorkflow.Seen seen = run(WATCH_FOR_BREACH, 10, List.of(1), true);
    assertEquals(RTO_BREACHED, seen.end());
    assertEquals(OUTCOME_FAILED, seen.outcome());
  }

  @Test
  void aReportThatCannotBeStoredIsNotTheRunsOutcome() {
    storeFails = true;
    ClockedRunWorkflow.Seen seen = run(WATCH, 10, List.of(1), false);
    assertEquals(OUTCOME_SUCCEEDED, seen.outcome());
    assertNull(seen.reportKey());
    assertEquals(1, storeAttempts.get(), "a final failure kind is not retried");
    assertTrue(stored.isEmpty());
  }
}
