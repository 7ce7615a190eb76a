package io.lifeboat.recover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.recover.mariadb.MariaDbRecoveryWorkflowImpl;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryWorkflowImpl;
import io.lifeboat.recover.redis.RedisRecoveryWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Redis, MariaDB and OpenSearch recoveries recorded before the patch recovery-notifications
 * (finished and failed, made by the workflows as they were on branch me before issue 22's
 * recovery messages) replay with the current code: the messages stay off for them.
 */
class SourceRecoveryReplayTest {
  static final Path RECORDED = Path.of("src", "test", "resources", "histories",
      "source-recovery");

  @Test
  void histories_recorded_before_the_notifications_replay() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(RECORDED)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(6, files.size(), files.toString());
    for (Path p : files) {
      String name = p.getFileName().toString();
      Class<?> impl = name.startsWith("redis") ? RedisRecoveryWorkflowImpl.class
          : name.startsWith("recover-mariadb") ? MariaDbRecoveryWorkflowImpl.class
          : OpenSearchRecoveryWorkflowImpl.class;
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(Files.readString(p)), impl);
    }
  }
}
