package io.lifeboat.recover.redis;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.RecoveryNotice;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

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
    RecoveryNotice news = RecoveryNotice.start(request.notifications(), KIND_REDIS_RECOVERY,
        "Redis recovery", name, request.backupId());
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(name),
        KIND.valueSet(KIND_REDIS_RECOVERY),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    String host = request.redis().host();
    String hostQueue = HostRouting.queueFor(host);
    RedisRecoveryActivities anywhere = ActivityStubs.of(RedisRecoveryActivities.class,
        request.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT);
    RedisRecoveryActivities onHost = ActivityStubs.of(RedisRecoveryActivities.class,
        request.retry(), Duration.ofHours(2), Duration.ofSeconds(60), hostQueue);
    try {
      RedisManifest m = steps.run("choose-backup", () -> anywhere.redisChooseBackup(
          request.repository(), name, request.backupId()));
      news.backup(m.backupId());
      if (host != null) steps.run("await-agent", () -> HostRouting.awaitAgent(host,
          request.retry()));
      StageRequest stage = new StageRequest(request.redis(), request.repository(), m,
          m.backupId().replaceAll("[^A-Za-z0-9]", "") + "-"
              + Workflow.getInfo().getRunId().substring(0, 8));
      StagedSnapshot staged = steps.run("stage", () -> onHost.redisStageSnapshot(stage));
      SwapResult swapped = steps.run("swap-and-start",
          () -> onHost.redisSwapAndStart(stage, staged));
      if (swapped.keys() != m.keys()) {
        throw FailureKind.RECOVERY_FAILED.failure("redis " + name + " holds " + swapped.keys()
            + " keys after loading backup " + m.backupId() + ", its manifest says " + m.keys()
            + "; the replaced file is kept at " + swapped.keptPath());
      }
      long keys = swapped.keys();
      if (request.redis().appendonly()) {
        keys = steps.run("enable-aof", () -> anywhere.redisEnableAof(request.redis()));
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      news.finished(keys + " keys; the replaced file is kept at " + swapped.keptPath());
      return new RedisRecoveryResult(name, m.backupId(), m.keys(), keys,
          request.redis().appendonly(), swapped.keptPath(), steps.steps());
    } catch (ActivityFailure | io.temporal.failure.ApplicationFailure e) {
      steps.finish("failed");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      news.failed(steps, e);
      throw e;
    }
  }

  @Override
  public String step() {
    return steps.current();
  }
}
