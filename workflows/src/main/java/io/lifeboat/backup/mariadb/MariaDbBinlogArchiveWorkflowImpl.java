package io.lifeboat.backup.mariadb;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.recover.mariadb.MariaDbPitrActivities;
import io.lifeboat.run.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * The archive pass ({@link MariaDbPitrActivities#mariadbArchiveBinlogs}) on a timer, for ever:
 * binlogs reach the repository within {@code everySeconds} of being written, not only at each
 * backup. A failure (server down, a gap found) is logged and kept for the status query; the
 * loop goes on. The history is bounded by continue-as-new.
 */
public class MariaDbBinlogArchiveWorkflowImpl implements MariaDbBinlogArchiveWorkflow {
  private static final Logger log = Workflow.getLogger(MariaDbBinlogArchiveWorkflowImpl.class);
  public static final String KIND_MARIADB_BINLOGS = "mariadb-binlogs";
  static final int PASSES_PER_RUN = 200;

  private long passes;
  private String lastArchived;
  private String lastError;
  private String lastPassAt;
  private boolean stopped;

  @Override
  public void archive(MariaDbBinlogArchiveRequest request) {
    passes = request.passes();
    lastArchived = request.lastArchived();
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(request.mariadb().name()),
        KIND.valueSet(KIND_MARIADB_BINLOGS));
    // Short attempts: the next pass is the retry.
    io.lifeboat.config.RetryConfig once = new io.lifeboat.config.RetryConfig(1,
        request.retry().initialIntervalSeconds(), request.retry().maxIntervalSeconds());
    MariaDbPitrActivities archiver = ActivityStubs.of(MariaDbPitrActivities.class, once,
        Duration.ofHours(6), Duration.ofSeconds(60));
    Duration every = Duration.ofSeconds(Math.max(1, request.everySeconds()));
    for (int i = 0; i < PASSES_PER_RUN && !stopped; i++) {
      try {
        List<String> files = archiver.mariadbArchiveBinlogs(request.mariadb(),
            request.repository());
        if (!files.isEmpty()) lastArchived = files.get(files.size() - 1);
        lastError = null;
      } catch (ActivityFailure e) {
        lastError = FailureMessage.of(e);
        log.warn("binlog archive pass of mariadb {} failed: {}", request.mariadb().name(),
            lastError);
      }
      passes++;
      lastPassAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
      Workflow.await(every, () -> stopped);
    }
    if (!stopped) {
      Workflow.continueAsNew(new MariaDbBinlogArchiveRequest(request.mariadb(),
          request.repository(), request.retry(), request.everySeconds(), passes, lastArchived));
    }
  }

  @Override
  public MariaDbBinlogArchiveStatus status() {
    return new MariaDbBinlogArchiveStatus(passes, lastArchived, lastError, lastPassAt);
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
