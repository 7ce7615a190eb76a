package io.lifeboat.run;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps a run expects to take, each with an estimate, and the projected finish from them.
 *
 * <p>The rule, simplest honest one first: a step's estimate is its duration in the previous
 * successful run of the same kind and subject (its stored report), when that run had the step;
 * otherwise an equal share of the RTO (RTO / number of planned steps). The projection is
 * elapsed + what is left of the current step (its estimate less the time already spent in it,
 * never below 0) + the estimates of the planned steps not started yet. A step that takes longer
 * than estimated pushes the projection out as it runs; a step that ended early pulls it in.
 * Pure arithmetic on workflow time: the same on replay.
 */
public final class StepPlan {
  public static final String FROM_PREVIOUS = "previous run";
  public static final String FROM_RTO = "RTO split";

  private final List<String> steps;
  private final Map<String, Long> previous;
  private final long rtoMillis;

  private StepPlan(List<String> steps, Map<String, Long> previous, long rtoMillis) {
    this.steps = List.copyOf(steps);
    this.previous = previous == null ? Map.of() : Map.copyOf(previous);
    this.rtoMillis = rtoMillis;
  }

  /**
   * @param previousStepMillis step durations of the previous successful run, or null/empty
   */
  public static StepPlan of(List<String> steps, Map<String, Long> previousStepMillis,
      long rtoMillis) {
    return new StepPlan(steps, previousStepMillis, rtoMillis);
  }

  public List<String> steps() {
    return steps;
  }

  public long estimate(String step) {
    return estimate(step, rtoMillis);
  }

  private long estimate(String step, long splitMillis) {
    Long p = previous.get(step);
    return p != null ? p : splitMillis / Math.max(1, steps.size());
  }

  /** Each planned step's estimate, in order (for the report). */
  public Map<String, Long> estimates() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String s : steps) m.put(s, estimate(s));
    return m;
  }

  /**
   * @param done the steps recorded so far (a failed or repeated step counts as done)
   * @param current the step running now (a human step as "waiting: NAME"), or a final state
   * @param currentStartedAt when the current step started
   */
  public Projection project(long startedAt, long now, List<StepTiming> done, String current,
      long currentStartedAt) {
    return project(startedAt, now, done, current, currentStartedAt, false);
  }

  /**
   * As above; with {@code netOfLead} the RTO split shares out the RTO less the time before the
   * first step began (the run's own start: its first workflow task, the first activity's
   * dispatch). Without it, a run with no previous run was projected over its RTO at its first
   * look by exactly that lead, since its shares add up to the whole RTO: "over the RTO" in the
   * "started" message of every first recovery.
   */
  public Projection project(long startedAt, long now, List<StepTiming> done, String current,
      long currentStartedAt, boolean netOfLead) {
    long firstStep = current != null ? currentStartedAt : now;
    Set<String> finished = new HashSet<>();
    for (StepTiming t : done) {
      finished.add(t.step());
      firstStep = Math.min(firstStep, t.startedAtMillis());
    }
    long split = netOfLead ? Math.max(0, rtoMillis - (firstStep - startedAt)) : rtoMillis;
    String running = current != null && current.startsWith("waiting: ")
        ? current.substring("waiting: ".length()) : current;
    long remaining = 0;
    boolean fromPrevious = false;
    boolean fromRto = false;
    for (String s : steps) {
      if (finished.contains(s)) continue;
      long est = estimate(s, split);
      if (previous.containsKey(s)) fromPrevious = true; else fromRto = true;
      remaining += s.equals(running) ? Math.max(0, est - (now - currentStartedAt)) : est;
    }
    long elapsed = now - startedAt;
    long total = elapsed + remaining;
    String basis = fromPrevious && fromRto ? FROM_PREVIOUS + " and " + FROM_RTO
        : fromPrevious ? FROM_PREVIOUS : !previous.isEmpty() && !fromRto ? FROM_PREVIOUS
        : FROM_RTO;
    return new Projection(elapsed, remaining, total, startedAt + total, rtoMillis,
        total > rtoMillis, basis);
  }
}
