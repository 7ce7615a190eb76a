package io.lifeboat.recover.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stage before stop, AOF only after the RDB loaded, and a wrong key count fails the run. */
class RedisRecoveryWorkflowTest {
  private TestWorkflowEnvironment env;
  private Worker worker;

  static final class Fake implements RedisRecoveryActivities {
    boolean withAof = true;

    @Override
    public StagedSnapshot redisStageAof(StageRequest request) {
      calls.add("stage-aof");
      return new StagedSnapshot("/data/appendonlydir.lifeboat-x", 200, "cd");
    }

    @Override
    public SwapResult redisSwapAofAndStart(StageRequest request, StagedSnapshot staged) {
      calls.add("swap-aof");
      return new SwapResult("/data/appendonlydir", "/data/appendonlydir.before-x",
          "/data/appendonlydir.before-x", 6);
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    long keysAfterStart = 5;

    @Override
    public RedisManifest redisChooseBackup(RepositoryConfig repository, String name, String id) {
      calls.add("choose");
      return new RedisManifest(1, "20261206T020000Z.000-abcdefgh", RedisManifest.KIND, name,
          "127.0.0.1:6379", "7.0.15", "a", "b", 5, 5, 5, 1000, 100, 60, "ab", "zstd",
          "p/redis/" + name + "/x/dump.rdb.zst", Map.of(), "ok", "wf", null,
          withAof ? new io.lifeboat.backup.redis.RedisAofArtifact("p/redis/" + name
              + "/x/appendonlydir.tar.zst", "appendonlydir", List.of(), 200, 90, "cd", 6, null,
              "ok") : null);
    }

    @Override
    public StagedSnapshot redisStageSnapshot(StageRequest request) {
      calls.add("stage");
      return new StagedSnapshot("/data/dump.rdb.lifeboat-x", 100, "ab");
    }

    @Override
    public SwapResult redisSwapAndStart(StageRequest request, StagedSnapshot staged) {
      calls.add("swap");
      return new SwapResult("/data/dump.rdb", "/data/dump.rdb.before-x", null, keysAfterStart);
    }

    @Override
    public long redisEnableAof(RedisConfig redis) {
      calls.add("aof");
      return 5;
    }
  }

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T03:00:00Z"));
    worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(RedisRecoveryWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RedisRecoveryResult run(Fake fake) {
    return run(fake, false);
  }

  private RedisRecoveryResult run(Fake fake, boolean fromAof) {
    worker.registerActivitiesImplementations(fake);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(RedisRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("redis-recovery-cache-test")
            .setTaskQueue(TaskQueues.DEFAULT).build())
        .recover(new RedisRecoveryRequest(
            new RedisConfig("cache", null, null, null, null, "/data", true, null),
            new RepositoryConfig("http://127.0.0.1:9000", "b", "p", null, null, "A", "S", null,
                null, null, null, null), null, new RetryConfig(2, 1, 1), null, null,
            fromAof));
  }

  @Test
  void fromAofPlacesTheAofDirectoryAndChecksItsKeys() {
    Fake fake = new Fake();
    RedisRecoveryResult r = run(fake, true);
    assertEquals(List.of("choose", "stage-aof", "swap-aof"), fake.calls);
    assertEquals(6, r.keys());
    assertEquals(6, r.expectedKeys());
  }

  @Test
  void fromAofRefusesABackupWithoutAof() {
    Fake fake = new Fake();
    fake.withAof = false;
    assertThrows(WorkflowFailedException.class, () -> run(fake, true));
    assertEquals(List.of("choose"), fake.calls);
  }

  @Test
  void stagesThenSwapsThenTurnsAofBackOn() {
    Fake fake = new Fake();
    RedisRecoveryResult r = run(fake);
    assertEquals(List.of("choose", "stage", "swap", "aof"), fake.calls);
    assertEquals(5, r.keys());
    assertEquals("/data/dump.rdb.before-x", r.keptPath());
  }

  @Test
  void aKeyCountOtherThanTheManifestsFailsBeforeAof() {
    Fake fake = new Fake();
    fake.keysAfterStart = 4;
    assertThrows(WorkflowFailedException.class, () -> run(fake));
    assertEquals(List.of("choose", "stage", "swap"), fake.calls);
  }
}
