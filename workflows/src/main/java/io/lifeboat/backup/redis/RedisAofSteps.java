package io.lifeboat.backup.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Objects;

/**
 * The AOF part of a Redis backup: when the source runs with appendonly and has a dataDir, its
 * AOF directory is copied on the server's host (its agent when {@code host} is set) into a
 * second object of the backup, then read back and loaded into a scratch server beside the RDB.
 * Behind {@link #CHANGE_ID}: histories recorded before it replay without these steps.
 */
final class RedisAofSteps {
  static final String CHANGE_ID = "redis-aof-artifact";

  private final RedisBackupRequest request;
  private final StepRecorder steps;
  private final String objectKey;

  private RedisAofSteps(RedisBackupRequest request, StepRecorder steps, String objectKey) {
    this.request = request;
    this.steps = steps;
    this.objectKey = objectKey;
  }

  /** The steps for this request, or null when it takes none (or replays an older history). */
  static RedisAofSteps of(RedisBackupRequest request, StepRecorder steps, String backupId) {
    RedisConfig r = request.redis();
    if (!r.appendonly() || r.dataDir() == null) return null;
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) return null;
    return new RedisAofSteps(request, steps,
        RedisLayout.aofKey(request.repository().prefix(), r.name(), backupId));
  }

  /** await-agent (with a host), then aof-copy-and-upload on the host. */
  RedisAofResult copy(String backupId) {
    String host = request.redis().host();
    if (host != null) {
      steps.run("await-agent", () -> HostRouting.awaitAgent(host, request.retry(),
          request.notifications()));
    }
    RedisBackupActivities onHost = ActivityStubs.of(RedisBackupActivities.class,
        request.retry(), Duration.ofHours(6), RedisBackupWorkflowImpl.HEARTBEAT,
        HostRouting.queueFor(host));
    return steps.run("aof-copy-and-upload", () -> onHost.redisAofToRepository(
        new RedisAofRequest(request.redis(), request.repository(), request.compression(),
            backupId, objectKey)));
  }

  /** verify-aof: read back, redis-check-aof, a scratch server compared with the RDB's. */
  RedisAofArtifact verify(RedisSnapshotResult snap, RedisAofResult aof) {
    RedisBackupActivities streaming = ActivityStubs.of(RedisBackupActivities.class,
        request.retry(), Duration.ofHours(6), RedisBackupWorkflowImpl.HEARTBEAT);
    long min = Math.min(Math.min(snap.before().keys(), snap.after().keys()),
        Math.min(aof.before().keys(), aof.after().keys()));
    long max = Math.max(Math.max(snap.before().keys(), snap.after().keys()),
        Math.max(aof.before().keys(), aof.after().keys()));
    boolean quiet = snap.after().replOffset() != null
        && Objects.equals(snap.after().replOffset(), aof.after().replOffset()) && min == max;
    RedisAofVerifyResult v = steps.run("verify-aof", () -> streaming.redisVerifyStoredAof(
        new RedisAofVerifyRequest(request.repository(), aof.objectKey(), aof.sha256(),
            aof.storedBytes(), aof.dirName(), snap.objectKey(), min, max, quiet)));
    String verification = "sha256 re-read from storage; " + v.checkAof() + "; started with"
        + " appendonly yes in a scratch redis-server: " + v.keys() + " keys, " + v.sampledKeys()
        + " sampled keys equal to the RDB's"
        + (v.digestsEqual() ? ", dataset digest equal to the RDB's" : "")
        + (aof.attempts() > 1 ? "; copied " + aof.attempts() + " times (a rewrite replaced the"
            + " files)" : "");
    return new RedisAofArtifact(aof.objectKey(), aof.dirName(), aof.files(), aof.rawBytes(),
        aof.storedBytes(), aof.sha256(), v.keys(), aof.fixed(), verification);
  }
}
