package io.lifeboat.backup.dump;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_FULL;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

public class DatabaseBackupWorkflowImpl implements DatabaseBackupWorkflow {
  private static final Logger log = Workflow.getLogger(DatabaseBackupWorkflowImpl.class);

  /** A dump may run for hours; a silent worker is declared dead after this. */
  static final Duration DUMP_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  private final StepRecorder steps = new StepRecorder();
  private String backupId;
  private String database;
  private long expectedRawBytes;

  @Override
  public BackupResult backup(DatabaseBackupRequest request) {
    database = request.database().name();
    long startedAt = Workflow.currentTimeMillis();
    backupId = io.lifeboat.repository.BackupIds.forThisRun(startedAt);
    String prefix = request.repository().prefix();
    String objectKey = RepositoryLayout.dumpKey(prefix, database, backupId);
    Workflow.upsertTypedSearchAttributes(
        DATABASE.valueSet(database), KIND.valueSet(KIND_DB_FULL),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    io.lifeboat.run.BackupNews news = io.lifeboat.run.BackupNews.start(request.notifications(),
        KIND_DB_FULL, "database backup", database, null, backupId);
    DatabaseBackupActivities quick = activities(request.retry(), Duration.ofMinutes(10), null);
    // The dump and its read-back take the bulk queue's slots (issue 21; versioned inside).
    DatabaseBackupActivities streaming = ActivityStubs.of(DatabaseBackupActivities.class,
        request.retry(), Duration.ofHours(12), DUMP_HEARTBEAT_TIMEOUT,
        io.lifeboat.run.BulkQueue.forThisRun());
    try {
      DatabaseFacts facts = steps.run("assess", () -> quick.assess(request.database()));
      expectedRawBytes = facts.sizeBytes();
      DumpResult dump = steps.run("dump-and-upload", () -> streaming.dumpToRepository(
          new DumpRequest(request.database(), request.repository(), request.compression(),
              backupId, objectKey)));
      VerifyResult verified = steps.run("verify", () -> streaming.verifyStoredDump(
          new VerifyRequest(request.repository(), objectKey, dump.sha256(), dump.storedBytes(),
              dump.format())));
      BackupManifest manifest = manifest(request, facts, dump, verified);
      steps.run("commit-manifest", () -> quick.commitManifest(request.repository(), manifest));
      news.finished(steps, dump.storedBytes(), dump.rawBytes(), null);

      List<String> expired = List.of();
      String retentionWarning = null;
      try {
        expired = steps.run("retention", () -> quick.applyRetention(new RetentionRequest(
            request.repository(), database, request.retentionDays(), Workflow.currentTimeMillis(),
            request.retentionKeep(), request.retentionZone())));
      } catch (ActivityFailure e) {
        // The backup itself is committed and good; a failed clean-up must not hide that.
        retentionWarning = "retention failed: " + FailureMessage.of(e);
        log.warn("backup {} of {} is good but {}", backupId, database, retentionWarning);
      }
      // Issue #8: the offsite copy (3-2-1), started last and not waited for; versioned inside.
      io.lifeboat.offsite.OffsiteAfterBackup.start(request.offsite(),
          request.repository(), KIND_DB_FULL, database, backupId,
          io.lifeboat.offsite.OffsiteScopes.databaseDumps(database), request.retry(),
          request.notifications());
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      // Metrics are not commands: dropped on replay, absent from the history.
      BackupMetrics.succeeded(Workflow.getMetricsScope(), database, KIND_DB_FULL, startedAt,
          Workflow.currentTimeMillis(), dump.storedBytes(), dump.rawBytes());
      return new BackupResult(manifest, expired, retentionWarning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      FailedBackup.close(steps, e, "backup " + backupId, () -> activities(request.retry(),
          Duration.ofMinutes(10), null).discardIncomplete(
              new DiscardRequest(request.repository(), database, backupId)), () -> {
            // Issue 22: the message every backup kind sends; runs recorded before it keep the
            // failure-only message of issue #7 (none before that: no marker, skipped).
            if (news.on()) {
              news.failed(steps, e);
            } else if (Workflow.getVersion(NOTIFY_ON_FAILURE, Workflow.DEFAULT_VERSION, 1) >= 1) {
              notifyFailure(request, e);
            }
          }, log);
      BackupMetrics.failed(Workflow.getMetricsScope(), database, KIND_DB_FULL, startedAt,
          Workflow.currentTimeMillis());
      throw e;
    }
  }

  static final String NOTIFY_ON_FAILURE = "notify-on-failure";


  private void notifyFailure(DatabaseBackupRequest request, TemporalFailure e) {
    String step = steps.steps().isEmpty() ? "start"
        : steps.steps().get(steps.steps().size() - 1).step();
    io.temporal.failure.ApplicationFailure app = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.temporal.failure.ApplicationFailure a) {
        app = a;
        break;
      }
    }
    String reason = app != null ? app.getOriginalMessage() : e.getOriginalMessage();
    String hint = app == null ? "" : FailureKind.ofType(app.getType())
        .map(k -> " (" + k.hint() + ")").orElse("");
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("database", database);
    details.put("backup id", backupId);
    details.put("failed step", step);
    if (app != null) details.put("failure type", app.getType());
    io.lifeboat.notify.Notifier.send(request.notifications(),
        new io.lifeboat.notify.Notification(
            io.lifeboat.notify.Notification.EVENT_FAILURE,
            "backup of " + database + " failed", "step " + step + ": " + reason + hint, details,
            request.notifications().link(Workflow.getInfo().getWorkflowId())));
  }

  @Override
  public BackupStatus status() {
    return new BackupStatus(backupId, database, steps.current(), expectedRawBytes, steps.steps());
  }


  private BackupManifest manifest(
      DatabaseBackupRequest request, DatabaseFacts facts, DumpResult dump, VerifyResult verified) {
    var repo = request.repository();
    return new BackupManifest(
        BackupManifest.FORMAT_VERSION, backupId, KIND_DB_FULL, database,
        request.database().address(), facts.serverVersion(),
        Instant.ofEpochMilli(dump.startedAtMillis()).toString(),
        Instant.ofEpochMilli(dump.finishedAtMillis()).toString(),
        dump.rawBytes(), dump.storedBytes(), dump.sha256(), dump.compression(),
        dump.objectKey(), dump.localCopy(), repo.storageClass(), repo.serverSideEncryption(),
        Map.of("pg_dump", dump.pgDumpVersion(), "lifeboat", "0.1.0"),
        "pg_restore --list: " + verified.tocEntries() + " entries, sha256 re-read from storage",
        Workflow.getInfo().getWorkflowId(), null, dump.format());
  }

  private static DatabaseBackupActivities activities(
      io.lifeboat.config.RetryConfig retry, Duration startToClose, Duration heartbeat) {
    return ActivityStubs.of(DatabaseBackupActivities.class, retry, startToClose, heartbeat);
  }
}
