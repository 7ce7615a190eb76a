package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Looks at one result poll: empty while the run waits, its result or its failure after. */
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
      return "passed " + outcome;
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
    assertTrue(watch.within(200, TimeUnit.MILLISECONDS).isEmpty());
    assertTrue(watch.within(200, TimeUnit.MILLISECONDS).isEmpty(), "a second look, same poll");
    stub.signal("open", "ok");
    assertEquals("passed ok", watch.within(10, TimeUnit.SECONDS).orElseThrow());
  }

  @Test
  void aFailedRunIsThrownAsGetResultWouldThrowIt() {
    WorkflowStub stub = started("gate-fail");
    ResultWatch<String> watch = new ResultWatch<>(stub, String.class);
    assertTrue(watch.within(200, TimeUnit.MILLISECONDS).isEmpty());
    stub.signal("open", "fail");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> watch.within(10, TimeUnit.SECONDS));
    assertEquals("the gate says no",
        ((ApplicationFailure) e.getCause()).getOriginalMessage());
  }
}
