package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalCheckWorkflowTest {
  private TestWorkflowEnvironment env;
  private Worker worker;

  static class Fake implements WalCheckActivities {
    final List<Object> switchesSeen = new ArrayList<>();
    boolean serverDown;
    int switchCalls;
    boolean gap;

    @Override
    public WalSwitch forceSwitch(DatabaseConfig database) {
      switchCalls++;
      if (serverDown) throw FailureKind.PG_UNAVAILABLE.failure("connection refused");
      return new WalSwitch(1, "0/6000000", "000000010000000000000005", 16 << 20, 0, null, 0);
    }

    @Override
    public WalCheckResult checkArchive(WalCheckRequest request, WalSwitch switched) {
      switchesSeen.add(switched == null ? "none" : switched.neededSegment());
      long rpo = switched == null ? 3600 : 2;
      return new WalCheckResult(request.database().name(), !gap, gap ? 1 : 0,
          gap ? List.of("000000010000000000000004") : List.of(), "000000010000000000000003",
          "000000010000000000000005", 3, List.of(1), null, "000000010000000000000005", null,
          switched == null ? null : switched.neededSegment(), switched != null, 2000, rpo,
          request.rpoTargetMinutes() * 60L, rpo <= request.rpoTargetMinutes() * 60L, 0, null,
          null);
    }
  }

  @BeforeEach
  void setUp() {
    TestEnvironmentOptions.Builder o = TestEnvironmentOptions.newBuilder();
    for (var key : LifeboatSearchAttributes.ALL) {
      o.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(o.build());
    worker = env.newWorker("wal-check");
    worker.registerWorkflowImplementationTypes(WalCheckWorkflowImpl.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private WalCheckResult run(Fake fake) {
    worker.registerActivitiesImplementations(fake);
    env.start();
    WalCheckWorkflow wf = env.getWorkflowClient().newWorkflowStub(WalCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("wal-check-test").setTaskQueue("wal-check")
            .build());
    return wf.check(new WalCheckRequest(
        new DatabaseConfig("farmtally_production", "127.0.0.1", 55432, "lifeboat", null, null, null),
        new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", null, null, null,
            "A", "B", null, null, null, null, null),
        WalConfig.DEFAULT, 15, new RetryConfig(3, 1, 2)));
  }

  private String outcome() {
    return env.getWorkflowClient().newUntypedWorkflowStub("wal-check-test").describe()
        .getTypedSearchAttributes().get(LifeboatSearchAttributes.OUTCOME);
  }

  @Test
  void switchedSegmentIsHandedToTheCheck() {
    Fake f = new Fake();
    WalCheckResult r = run(f);
    assertEquals(List.of("000000010000000000000005"), f.switchesSeen);
    assertEquals(900, r.rpoTargetSeconds());
    assertEquals(LifeboatSearchAttributes.OUTCOME_SUCCEEDED, outcome());
  }

  @Test
  void serverDownStillChecksTheArchiveAndReportsTheMissedRpo() {
    Fake f = new Fake();
    f.serverDown = true;
    WalCheckResult r = run(f);
    assertEquals(2, f.switchCalls, "two quick attempts, then on without the server");
    assertEquals(List.of("none"), f.switchesSeen);
    assertNull(r.switchedSegment());
    assertEquals(false, r.rpoMet());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome());
  }

  @Test
  void gapMarksTheRunFailed() {
    Fake f = new Fake();
    f.gap = true;
    WalCheckResult r = run(f);
    assertEquals(false, r.continuous());
    assertEquals(LifeboatSearchAttributes.OUTCOME_FAILED, outcome());
  }
}
