package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Looks at one result poll: open while the run waits; then its result (null too) or failure. */
class ResultWatchTest {
  @WorkflowInterface
  public interface Gate {
    @WorkflowMethod
    String run();

    @SignalMethod
    void open(String outcome);
  }

  public static class GateImpl implements Gate {
    private String outcome;

    @Override
    public String run() {
      Workflow.await(() -> outcome != null);
      if (outcome.equals("fail")) {
        throw ApplicationFailure.newNonRetryableFailure("the gate says no", "Refused");
      }
      return outcome.equals("nothing") ? null : "passed " + outcome;
    }

    @Override
    public void open(String outcome) {
      this.outcome = outcome;
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() {
    // Real time: a pending result poll lets the test server skip time, which would time the
    // waiting run out instead of leaving it waiting for its signal.
    env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    env.newWorker("q").registerWorkflowImplementationTypes(GateImpl.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private WorkflowStub started(String id) {
    Gate gate = client.newWorkflowStub(Gate.class,
        WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
    WorkflowClient.start(gate::run);
    return client.newUntypedWorkflowStub(id);
  }

  @Test
  void emptyWhileRunningThenTheResult() {
    WorkflowStub stub = started("gate-pass");
    ResultWatch<String> watch = new ResultWatch<>(stub, String.class);
    assertFalse(watch.closedWithin(200, TimeUnit.MILLISECONDS));
    assertFalse(watch.closedWithin(200, TimeUnit.MILLISECONDS), "a second look, same poll");
    assertThrows(IllegalStateException.class, watch::value, "no value before it closed");
    stub.signal("open", "ok");
    assertTrue(watch.closedWithin(10, TimeUnit.SECONDS));
    assertEquals("passed ok", watch.value());
  }

  @Test
  void aNullResultIsAClosedRunToo() {
    WorkflowStub stub = started("gate-null");
    ResultWatch<String> watch = new ResultWatch<>(stub, String.class);
    stub.signal("open", "nothing");
    assertTrue(watch.closedWithin(10, TimeUnit.SECONDS), "closed, though its result is null");
    assertNull(watch.value());
  }

  @Test
  void aFailedRunIsThrownAsGetResultWouldThrowIt() {
    WorkflowStub stub = started("gate-fail");
    ResultWatch<String> watch = new ResultWatch<>(stub, String.class);
    assertFalse(watch.closedWithin(200, TimeUnit.MILLISECONDS));
    stub.signal("open", "fail");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> watch.closedWithin(10, TimeUnit.SECONDS));
    assertEquals("the gate says no",
        ((ApplicationFailure) e.getCause()).getOriginalMessage());
  }
}
