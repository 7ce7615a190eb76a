package io.lifeboat.backup.mariadb;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Continuous binlog archiving of one MariaDB server: every {@code everySeconds} a pass closes
 * the current binlog (FLUSH BINARY LOGS) and ships every closed binlog not yet archived, each
 * committed by its checksummed mark. Runs until stopped; a failed pass is recorded and the next
 * one tries again (the pass is idempotent: a file with its mark is never shipped twice).
 */
@WorkflowInterface
public interface MariaDbBinlogArchiveWorkflow {

  @WorkflowMethod
  void archive(MariaDbBinlogArchiveRequest request);

  /** Passes so far, the newest archived binlog and the last failure (null when none). */
  @QueryMethod
  MariaDbBinlogArchiveStatus status();

  /** Ends the loop after the current pass. */
  @SignalMethod
  void stop();

  /** {@code archive-binlogs-mariadb-ESTATE-NAME}: one archiver per server. */
  static String workflowId(String estate, String name) {
    return io.lifeboat.run.WorkflowIds.of("archive-binlogs-mariadb", estate, name);
  }
}
