package io.lifeboat.backup.redis;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.BackupIds;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The shape of the PostgreSQL dump (backup/dump) for a Redis RDB snapshot: nothing is a backup
 * until its manifest is written, and the manifest is written only after the stored object was
 * read back, decrypted, checked by redis-check-rdb and loaded into a scratch server; with
 * appendonly on, the AOF directory goes beside it the same way ({@link RedisAofSteps}).
 */
public class RedisBackupWorkflowImpl implements RedisBackupWorkflow {
  private static final Logger log = Workflow.getLogger(RedisBackupWorkflowImpl.class);
  public static final String KIND_REDIS = "redis";
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private final StepRecorder steps = new StepRecorder();

  @Override
  public RedisBackupResult backup(RedisBackupRequest request) {
    String name = request.redis().name();
    String backupId = BackupIds.forThisRun(Workflow.currentTimeMillis());
    String prefix = request.repository().prefix();
    String objectKey = RedisLayout.snapshotKey(prefix, name, backupId);
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(name), KIND.valueSet(KIND_REDIS),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    BackupNews news = BackupNews.start(request.notifications(), KIND_REDIS, "Redis backup", name,
        null, backupId);
    RedisBackupActivities quick = ActivityStubs.of(RedisBackupActivities.class, request.retry(),
        Duration.ofMinutes(10), null);
    RedisBackupActivities streaming = ActivityStubs.of(RedisBackupActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT);
    try {
      steps.run("assess", () -> quick.redisAssess(request.redis()));
      RedisSnapshotResult snap = steps.run("snapshot-and-upload",
          () -> streaming.redisSnapshotToRepository(new RedisSnapshotRequest(request.redis(),
              request.repository(), request.compression(), backupId, objectKey)));
      RedisAofSteps aofSteps = RedisAofSteps.of(request, steps, backupId);
      RedisAofResult aofCopy = aofSteps == null ? null : aofSteps.copy(backupId);
      long min = Math.min(snap.before().keys(), snap.after().keys());
      long max = Math.max(snap.before().keys(), snap.after().keys());
      RedisVerifyResult verified = steps.run("verify", () -> streaming.redisVerifyStoredSnapshot(
          new RedisVerifyRequest(request.repository(), objectKey, snap.sha256(),
              snap.storedBytes(), min, max)));
      RedisAofArtifact aof = aofSteps == null ? null : aofSteps.verify(snap, aofCopy);
      RedisManifest manifest = new RedisManifest(RedisManifest.FORMAT_VERSION, backupId,
          RedisManifest.KIND, name,
          request.redis().address() + ":" + request.redis().port(),
          snap.before().serverVersion(),
          Instant.ofEpochMilli(snap.startedAtMillis()).toString(),
          Instant.ofEpochMilli(snap.finishedAtMillis()).toString(),
          verified.keys(), snap.before().keys(), snap.after().keys(),
          snap.before().usedMemory(), snap.rawBytes(), snap.storedBytes(), snap.sha256(),
          snap.compression(), objectKey,
          Map.of("redis-cli", snap.redisCliVersion(), "lifeboat", "0.1.0"),
          "sha256 re-read from storage; " + verified.checkRdb() + "; loaded into a scratch"
              + " redis-server: " + verified.keys() + " keys, " + verified.sampledKeys()
              + " sampled keys read",
          Workflow.getInfo().getWorkflowId(), null, aof);
      steps.run("commit-manifest", () -> quick.redisCommitManifest(request.repository(),
          manifest));
      news.finished(steps, snap.storedBytes(), snap.rawBytes(), null);
      List<String> expired = List.of();
      String warning = null;
      try {
        expired = steps.run("retention", () -> quick.redisApplyRetention(
            new RedisRetentionRequest(request.repository(), name, request.retentionDays(),
                Workflow.currentTimeMillis(), request.retentionKeep(), request.retentionZone())));
      } catch (ActivityFailure e) {
        warning = "retention failed: " + FailureMessage.of(e);
        log.warn("redis backup {} of {} is good but {}", backupId, name, warning);
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new RedisBackupResult(manifest, expired, warning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      FailedBackup.close(steps, e, "redis backup " + backupId, () -> quick.redisDiscardIncomplete(
          new RedisDiscardRequest(request.repository(), name, backupId)), news.announce(steps, e), log);
      throw e;
    }
  }

  @Override
  public String step() {
    return steps.current();
  }
}
