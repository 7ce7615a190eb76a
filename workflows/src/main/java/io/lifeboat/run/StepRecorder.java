package io.lifeboat.run;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Times each step of a workflow in workflow time, so timings survive replay unchanged. */
public final class StepRecorder {
  private final List<StepTiming> steps = new ArrayList<>();
  private String current = "starting";
  private long currentStartedAt = -1;
  private Consumer<StepTiming> onEach = step -> {};
  /** The hosts (and their agents) the current step's host-bound activities went to. */
  private final java.util.LinkedHashSet<String> hosts = new java.util.LinkedHashSet<>();
  private final java.util.LinkedHashSet<String> agents = new java.util.LinkedHashSet<>();

  /**
   * The current step sends host-bound work to {@code host}'s agent (issue 17,
   * {@link io.lifeboat.host.HostPlacement}); the step's timing names it.
   */
  public void ranOn(String host, String agentIdentities) {
    hosts.add(host);
    if (agentIdentities != null) agents.add(agentIdentities);
  }

  /**
   * Calls {@code listener} with each machine step as it is recorded, done ("ok") or failed: a
   * workflow brings its RTO status up to date there ({@link RtoClock}). Listeners add up, called
   * in the order given ({@link RunNews} adds its own after the workflow's).
   */
  public StepRecorder onEachStep(Consumer<StepTiming> listener) {
    onEach = onEach.andThen(listener);
    return this;
  }

  public <T> T run(String step, Supplier<T> body) {
    current = step;
    hosts.clear();
    agents.clear();
    long started = Workflow.currentTimeMillis();
    currentStartedAt = started;
    try {
      T result = body.get();
      record(timing(step, started, "ok"));
      return result;
    } catch (RuntimeException e) {
      record(timing(step, started, "failed"));
      throw e;
    }
  }

  private StepTiming timing(String step, long started, String outcome) {
    return new StepTiming(step, started, Workflow.currentTimeMillis(), outcome, 0,
        hosts.isEmpty() ? null : String.join(", ", hosts),
        agents.isEmpty() ? null : String.join(", ", agents));
  }

  private void record(StepTiming timing) {
    steps.add(timing);
    onEach.accept(timing);
  }

  /**
   * A step that waits for a person: its whole time is recorded as human wait, apart from
   * machine time, so an RTO report can say how long the machines took and how long people did.
   */
  public <T> T human(String step, Supplier<T> body) {
    current = "waiting: " + step;
    long started = Workflow.currentTimeMillis();
    currentStartedAt = started;
    try {
      T result = body.get();
      long now = Workflow.currentTimeMillis();
      steps.add(new StepTiming(step, started, now, "approved", now - started));
      return result;
    } catch (RuntimeException e) {
      long now = Workflow.currentTimeMillis();
      steps.add(new StepTiming(step, started, now, "failed", now - started));
      throw e;
    }
  }

  public void run(String step, Runnable body) {
    run(step, () -> {
      body.run();
      return null;
    });
  }

  public void finish(String finalState) {
    current = finalState;
  }

  /** When the current step started (workflow time), or {@code otherwise} before any step. */
  public long currentStartedAt(long otherwise) {
    return currentStartedAt < 0 ? otherwise : currentStartedAt;
  }

  public String current() {
    return current;
  }

  public List<StepTiming> steps() {
    return List.copyOf(steps);
  }

  /** The name of the last step recorded, "start" before any. */
  public String last() {
    return steps.isEmpty() ? "start" : steps.get(steps.size() - 1).step();
  }

  /** Time spent waiting for people, summed over the steps so far. */
  public long humanWaitMillis() {
    return steps.stream().mapToLong(StepTiming::humanWaitMillis).sum();
  }
}
