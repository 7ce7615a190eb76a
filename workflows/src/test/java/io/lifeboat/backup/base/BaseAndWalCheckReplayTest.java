package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lifeboat.wal.WalCheckWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Histories recorded from the real server (`temporal workflow show -w ID -o json`: a base backup
 * of a throwaway archiving cluster, and the archive check after it) must replay with today's
 * workflow code, or upgrading the worker would break runs in flight.
 */
class BaseAndWalCheckReplayTest {
  static final Path DIR = Path.of("src", "test", "resources", "histories");

  private static String read(String file) throws Exception {
    return Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void recordedBaseBackupReplays() throws Exception {
    String json = read("base/base-backup-completed.json");
    WorkflowExecutionHistory h = WorkflowExecutionHistory.fromJson(json);
    assertEquals(5, h.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).count());
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, h.getLastEvent().getEventType());
    WorkflowReplayer.replayWorkflowExecution(json, BaseBackupWorkflowImpl.class);
  }

  @Test
  void recordedWalCheckReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(read("wal/wal-check-completed.json"),
        WalCheckWorkflowImpl.class);
  }

  /** The control: replaying the base backup's history with other code must fail. */
  @Test
  void replayNoticesAChangedWorkflow() throws Exception {
    String json = read("base/base-backup-completed.json");
    assertThrows(Throwable.class,
        () -> WorkflowReplayer.replayWorkflowExecution(json, WalCheckWorkflowImpl.class));
  }
}
