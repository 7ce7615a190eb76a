package io.lifeboat.verify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Histories recorded from the real dev server by the end-to-end test (`temporal workflow show
 * -o json`): a healthy verification with a restore, and a corrupt dump that was recorded and
 * notified. A change to the workflow that alters its commands breaks these.
 */
class VerificationReplayTest {
  static final Path RECORDED = Path.of("src", "test", "resources", "histories", "verification");

  @TestFactory
  Stream<DynamicTest> recordedVerificationHistoriesReplay() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(RECORDED)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no recorded histories under " + RECORDED.toAbsolutePath());
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      String json = Files.readString(file, StandardCharsets.UTF_8);
      WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
      assertEquals("BackupVerificationWorkflow", history.getEvents().get(0)
          .getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName());
      assertDoesNotThrow(() -> WorkflowReplayer.replayWorkflowExecution(json,
          BackupVerificationWorkflowImpl.class), file + " no longer replays");
    }));
  }
}
