package io.lifeboat.backup.base;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_BASE;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;

public class BaseBackupWorkflowImpl implements BaseBackupWorkflow {
  private static final Logger log = Workflow.getLogger(BaseBackupWorkflowImpl.class);

  /** The metrics' kind tag, beside the full backups' "db-full". */
  public static final String METRICS_KIND = "base";
  static final Duration STREAM_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);

  private final StepRecorder steps = new StepRecorder();
  private String backupId;
  private String database;
  private long expectedRawBytes;

  @Override
  public BaseBackupResult backup(BaseBackupRequest request) {
    database = request.database().name();
    long startedAt = Workflow.currentTimeMillis();
    backupId = io.lifeboat.repository.BackupIds.forThisRun(startedAt);
    String prefix = request.repository().prefix();
    String objectKey = RepositoryLayout.baseTarKey(prefix, database, backupId);
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(database), KIND.valueSet(KIND_DB_BASE),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    BackupNews news = BackupNews.start(request.notifications(), KIND_DB_BASE, "base backup",
        database, null, backupId);
    BaseBackupActivities quick = activities(request.retry(), Duration.ofMinutes(10), null);
    BaseBackupActivities streaming =
        activities(request.retry(), Duration.ofHours(12), STREAM_HEARTBEAT_TIMEOUT);
    try {
      BaseClusterFacts facts = steps.run("assess", () -> quick.assessCluster(request.database()));
      expectedRawBytes = facts.clusterBytes();
      BaseStreamResult r = steps.run("stream-and-verify", () -> streaming.streamAndVerify(
          new BaseStreamRequest(request.database(), request.repository(), request.compression(),
              request.wal(), backupId, objectKey, "lifeboat " + database + " " + backupId,
              facts.clusterBytes())));
      steps.run("verify-stored", () -> streaming.verifyStored(new BaseVerifyStoredRequest(
          request.repository(), objectKey, r.sha256(), r.storedBytes())));
      BaseBackupManifest manifest = manifest(request, r);
      steps.run("commit-manifest", () -> quick.commitBaseManifest(request.repository(), manifest));
      news.finished(steps, r.storedBytes(), r.rawBytes(), null);

      BaseRetentionResult retention = null;
      String warning = null;
      try {
        retention = steps.run("retention", () -> quick.applyBaseRetention(new BaseRetentionRequest(
            request.repository(), database, request.wal(), Workflow.currentTimeMillis(),
            request.retentionKeep(), request.retentionZone())));
      } catch (ActivityFailure e) {
        // The base backup is committed and good; a failed clean-up must not hide that.
        warning = "retention failed: " + FailureMessage.of(e);
        log.warn("base backup {} of {} is good but {}", backupId, database, warning);
      }
      // Issue #8: copy the base backup and the cluster's WAL offsite; not waited for.
      if (request.offsite() != null) {
        io.lifeboat.offsite.OffsiteAfterBackup.start(request.offsite().config(),
            request.repository(), LifeboatSearchAttributes.KIND_DB_BASE, database, backupId,
            io.lifeboat.offsite.OffsiteScopes.baseBackups(database), request.retry(),
            request.offsite().notifications());
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      BackupMetrics.succeeded(Workflow.getMetricsScope(), database, METRICS_KIND, startedAt,
          Workflow.currentTimeMillis(), r.storedBytes(), r.rawBytes());
      return new BaseBackupResult(manifest, retention, warning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      FailedBackup.close(steps, e, "base backup " + backupId, () -> activities(request.retry(),
          Duration.ofMinutes(10), null).discardIncompleteBase(
              new DiscardRequest(request.repository(), database, backupId)), news.announce(steps, e),
          log);
      BackupMetrics.failed(Workflow.getMetricsScope(), database, METRICS_KIND, startedAt,
          Workflow.currentTimeMillis());
      throw e;
    }
  }

  @Override
  public BaseBackupStatus status() {
    return new BaseBackupStatus(backupId, database, steps.current(), expectedRawBytes,
        steps.steps());
  }

  private BaseBackupManifest manifest(BaseBackupRequest request, BaseStreamResult r) {
    int format = r.backupManifestKey() != null ? BaseBackupManifest.FORMAT_SEPARATE_MANIFEST
        : BaseBackupManifest.FORMAT_VERSION;
    return new BaseBackupManifest(format, BaseBackupManifest.KIND,
        database, backupId, request.database().address(),
        Instant.ofEpochMilli(r.startedAtMillis()).toString(),
        Instant.ofEpochMilli(r.finishedAtMillis()).toString(),
        r.startLsn(), r.stopLsn(), r.timeline(), r.startWalSegment(), r.stopWalSegment(),
        r.walSegmentSize(), r.rawBytes(), r.storedBytes(), r.sha256(), r.compression(),
        r.objectKey(), r.pgVersion(), r.systemIdentifier(), true, r.verification(),
        Map.of("pg_basebackup", r.pgBasebackupVersion(), "lifeboat", "0.1.0"),
        Workflow.getInfo().getWorkflowId(), null, r.backupManifestKey());
  }

  private static BaseBackupActivities activities(RetryConfig retry, Duration startToClose,
      Duration heartbeat) {
    return ActivityStubs.of(BaseBackupActivities.class, retry, startToClose, heartbeat);
  }
}
