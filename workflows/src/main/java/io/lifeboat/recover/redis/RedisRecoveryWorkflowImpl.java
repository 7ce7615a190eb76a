package io.lifeboat.recover.redis;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.SourceRecoveryRun;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Choose the backup, stage it beside the live file (checked), stop the server, swap (the old
 * file kept), start with appendonly no (an empty AOF would win over the RDB), compare DBSIZE
 * with the manifest, then turn AOF back on when the config says so.
 */
public class RedisRecoveryWorkflowImpl implements RedisRecoveryWorkflow {
  public static final String KIND_REDIS_RECOVERY = "redis-recovery";
  /** The short steps heartbeat while they run (Keepalive): a killed worker is seen in 10 s. */
  static final Duration QUICK_HEARTBEAT = Duration.ofSeconds(10);
  private final StepRecorder steps = new StepRecorder();

  @Override
  public RedisRecoveryResult recover(RedisRecoveryRequest request) {
    String name = request.redis().name();
    String host = request.redis().host();
    SourceRecoveryRun news = SourceRecoveryRun.start(request.timing(), request.notifications(),
        request.repository(), KIND_REDIS_RECOVERY, "Redis recovery", name, request.backupId(),
        steps, () -> planned(request));
    String hostQueue = HostRouting.queueFor(host);
    RedisRecoveryActivities anywhere = ActivityStubs.of(RedisRecoveryActivities.class,
        request.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT);
    RedisRecoveryActivities onHost = ActivityStubs.of(RedisRecoveryActivities.class,
        request.retry(), Duration.ofHours(2), Duration.ofSeconds(60), hostQueue);
    try {
      RedisManifest m = steps.run("choose-backup", () -> anywhere.redisChooseBackup(
          request.repository(), name, request.backupId()));
      news.backup(m.backupId());
      boolean aof = request.fromAof();
      if (aof && m.aof() == null) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("redis backup " + m.backupId() + " of " + name
            + " holds no AOF directory (taken without appendonly or dataDir): recover without"
            + " --from-aof");
      }
      if (host != null) steps.run("await-agent", () -> HostRouting.awaitAgent(host,
          request.retry()));
      StageRequest stage = new StageRequest(request.redis(), request.repository(), m,
          m.backupId().replaceAll("[^A-Za-z0-9]", "") + "-"
              + Workflow.getInfo().getRunId().substring(0, 8));
      long expected = aof ? m.aof().keys() : m.keys();
      StagedSnapshot staged = steps.run("stage", () -> aof ? onHost.redisStageAof(stage)
          : onHost.redisStageSnapshot(stage));
      SwapResult swapped = steps.run("swap-and-start", () -> aof
          ? onHost.redisSwapAofAndStart(stage, staged) : onHost.redisSwapAndStart(stage, staged));
      if (swapped.keys() != expected) {
        throw FailureKind.RECOVERY_FAILED.failure("redis " + name + " holds " + swapped.keys()
            + " keys after loading backup " + m.backupId() + (aof ? "'s AOF" : "")
            + ", its manifest says " + expected + "; the replaced file is kept at "
            + swapped.keptPath());
      }
      long keys = swapped.keys();
      if (request.redis().appendonly() && !aof) {
        keys = steps.run("enable-aof", () -> anywhere.redisEnableAof(request.redis()));
      }
      news.fact("Keys", keys + " (manifest: " + expected + ")");
      if (aof) news.fact("Loaded from", "the AOF directory " + m.aof().dirName());
      // No live file before the recovery: nothing was replaced, nothing kept.
      String kept = swapped.keptPath() == null ? "" : "; the replaced file is kept at "
          + swapped.keptPath();
      if (swapped.keptPath() != null) news.fact("Replaced file kept at", swapped.keptPath());
      steps.finish("done");
      String report = news.succeeded(keys + " keys" + kept);
      return new RedisRecoveryResult(name, m.backupId(), expected, keys,
          request.redis().appendonly() || aof, swapped.keptPath(), steps.steps(), report);
    } catch (ActivityFailure | io.temporal.failure.ApplicationFailure e) {
      steps.finish("failed");
      news.failed(e, () -> {});
      throw e;
    }
  }

  /** The steps a run expects, for its projected finish. */
  static List<String> planned(RedisRecoveryRequest request) {
    List<String> out = new ArrayList<>(List.of("choose-backup"));
    if (request.redis().host() != null) out.add("await-agent");
    out.addAll(List.of("stage", "swap-and-start"));
    if (request.redis().appendonly() && !request.fromAof()) out.add("enable-aof");
    return out;
  }

  @Override
  public String step() {
    return steps.current();
  }
}
