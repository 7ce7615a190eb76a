package io.lifeboat.run;

import io.lifeboat.drill.DrillWorkflowImpl;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflowImpl;
import io.lifeboat.recover.server.ServerRecoveryWorkflowImpl;
import io.lifeboat.rollback.ApplicationRollbackWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Histories recorded (TestWorkflowEnvironment, the fakes of each workflow's test) by the code
 * of 69b2059, before the RTO clock, outcome and report moved to run/. The histories recorded
 * from the real server predate the {@value RtoClock#AT_RISK_CHANGE} and
 * {@value io.lifeboat.repository.RunKeys#CHANGE_ID} versions and never reach at-risk, so they
 * replay only the old branches; these carry both markers, at-risk and breach timers firing, an
 * RTO breached mid-step, the compensation paths and a drill with a server recovery child.
 */
class BeforeRunReplayTest {
  static final Path RECORDED = Path.of("src", "test", "resources", "histories", "before-run");
  static final Map<String, Class<?>> IMPLEMENTATIONS = Map.of(
      "DatabaseRecoveryWorkflow", DatabaseRecoveryWorkflowImpl.class,
      "ServerRecoveryWorkflow", ServerRecoveryWorkflowImpl.class,
      "ApplicationRollbackWorkflow", ApplicationRollbackWorkflowImpl.class,
      "DrillWorkflow", DrillWorkflowImpl.class);

  @TestFactory
  Stream<DynamicTest> historiesRecordedBeforeTheMoveReplay() throws IOException {
    try (Stream<Path> files = Files.list(RECORDED)) {
      return files.sorted().toList().stream().map(p ->
          DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            WorkflowExecutionHistory history =
                WorkflowExecutionHistory.fromJson(Files.readString(p));
            String type = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
                .getWorkflowType().getName();
            WorkflowReplayer.replayWorkflowExecution(history, IMPLEMENTATIONS.get(type));
          }));
    }
  }
}
