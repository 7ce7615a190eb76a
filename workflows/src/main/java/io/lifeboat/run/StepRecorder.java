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
  private Consumer<StepTiming> onEach = step -> {};

  /**
   * Calls {@code listener} with each machine step as it is recorded, done ("ok") or failed: a
   * workflow brings its RTO status up to date there ({@link RtoClock}).
   */
  public StepRecorder onEachStep(Consumer<StepTiming> listener) {
    onEach = listener;
    return this;
  }

  public <T> T run(String step, Supplier<T> body) {
    current = step;
    long started = Workflow.currentTimeMillis();
    try {
      T result = body.get();
      record(new StepTiming(step, started, Workflow.currentTimeMillis(), "ok"));
      return result;
    } catch (RuntimeException e) {
      record(new StepTiming(step, started, Workflow.currentTimeMillis(), "failed"));
      throw e;
    }
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
