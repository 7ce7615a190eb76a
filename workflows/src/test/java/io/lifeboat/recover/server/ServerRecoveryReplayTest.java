package io.lifeboat.recover.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;

/**
 * Histories of real server recoveries, exported from the dev server with {@code temporal
 * workflow show -o json}: the end-to-end run (approvals through the CLI) and the one whose
 * worker was SIGKILLed during ansible and during npm ci. A change to the workflow that would
 * break runs in flight fails here.
 */
class ServerRecoveryReplayTest {
  private static final Path RECORDED = Path.of("src/test/resources/histories/server");

  /**
   * A live worker has its classes loaded and Jackson's view of the request built long before a
   * replay; a cold test JVM on a busy machine does it inside the first workflow task and can
   * trip the SDK's 1 s deadlock detector. Do it here, outside the workflow thread.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    var converter = DefaultDataConverter.newDefaultInstance();
    ServerRecoveryRequest r = ServerRecoveryWorkflowTest.request();
    converter.fromPayloads(0, converter.toPayloads(r), ServerRecoveryRequest.class,
        ServerRecoveryRequest.class);
    Class.forName(ServerRecoveryWorkflowImpl.class.getName(), true,
        ServerRecoveryReplayTest.class.getClassLoader());
  }

  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplay() throws IOException {
    try (Stream<Path> files = Files.list(RECORDED)) {
      return files.filter(p -> p.getFileName().toString().startsWith("server-recovery-"))
          .sorted().toList().stream()
          .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () ->
              WorkflowReplayer.replayWorkflowExecution(
                  WorkflowExecutionHistory.fromJson(Files.readString(p)),
                  ServerRecoveryWorkflowImpl.class)));
    }
  }
}
