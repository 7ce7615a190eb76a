package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.WaitingStep;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drill steps the drill tests share, through the CLI as an operator would: start a drill,
 * wait until a step waits for approval, approve it. Each test passes its own environment (the
 * stack's, {@code stack.env}, when it needs no secrets of its own) and its own drill arguments.
 */
final class Drills {
  private static final Pattern STARTED = Pattern.compile("started drill \\w+: (\\S+)");

  private Drills() {}

  /** {@code drill start KIND ARGS --config CONFIG}, which must succeed; the drill's id. */
  static String start(RealStack stack, Map<String, String> env, Path config, String kind,
      String... args) {
    List<String> all = new ArrayList<>(List.of("drill", "start", kind));
    all.addAll(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    RealStack.Run r = stack.cli(env, all.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out() + r.err());
    Matcher m = STARTED.matcher(r.out());
    assertTrue(m.find(), r.out());
    return m.group(1);
  }

  /** Polls the workflow's waiting steps (real time: the worker is doing the work). */
  static void awaitWaiting(RealStack stack, String id, String step) throws InterruptedException {
    WorkflowStub stub = stack.temporal().client().newUntypedWorkflowStub(id);
    for (int i = 0; i < 1200; i++) {
      try {
        WaitingStep[] w = stub.query("waitingSteps", WaitingStep[].class);
        if (List.of(w).stream().anyMatch(x -> x.step().equals(step))) return;
      } catch (RuntimeException notYet) {
        // the first workflow task may not have run yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError(step + " of " + id + " never waited");
  }

  /** {@code approve ID STEP --by BY --reason e2e}: the run, for tests that expect a refusal. */
  static RealStack.Run approve(RealStack stack, Map<String, String> env, Path config, String id,
      String step, String by) {
    return stack.cli(env, "approve", id, step, "--by", by, "--reason", "e2e", "--config",
        config.toString());
  }

  /**
   * Starts {@code drill start KIND --scenario SCENARIO}, then approves approve-start and
   * sign-off-SCENARIO as {@code by} once each waits, each approval succeeding; the drill's id
   * (the drill itself may still be running).
   */
  static String startApproved(RealStack stack, Map<String, String> env, Path config, String kind,
      String scenario, String by) throws InterruptedException {
    String id = start(stack, env, config, kind, "--scenario", scenario);
    for (String step : List.of("approve-start", "sign-off-" + scenario)) {
      awaitWaiting(stack, id, step);
      RealStack.Run r = approve(stack, env, config, id, step, by);
      assertEquals(0, r.exit(), r.out() + r.err());
    }
    return id;
  }
}
