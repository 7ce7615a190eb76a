package io.lifeboat.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projection rule, as documented in docs/operator/recovery.md. */
class StepPlanTest {
  static final long MIN = 60_000L;
  static final List<String> STEPS = List.of("a", "b", "c");

  @Test
  void withoutHistoryEachStepIsAnEqualShareOfTheRto() {
    StepPlan plan = StepPlan.of(STEPS, null, 30 * MIN);
    Projection p = plan.project(0, 0, List.of(), "starting", 0);
    assertEquals(30 * MIN, p.totalMillis());
    assertEquals(StepPlan.FROM_RTO, p.basis());
    assertFalse(p.overRto());
  }

  @Test
  void thePreviousRunsDurationsComeFirstAndTheCurrentStepCountsItsTimeSpent() {
    StepPlan plan = StepPlan.of(STEPS, Map.of("a", 1 * MIN, "b", 20 * MIN), 30 * MIN);
    // a done in 2 min; b running for 5 min of its 20; c unknown: 10 min (a third of the RTO).
    Projection p = plan.project(0, 7 * MIN, List.of(new StepTiming("a", 0, 2 * MIN, "ok")),
        "b", 2 * MIN);
    assertEquals(7 * MIN + 15 * MIN + 10 * MIN, p.totalMillis());
    assertEquals(32 * MIN, p.finishAtMillis());
    assertTrue(p.overRto());
    assertEquals(StepPlan.FROM_PREVIOUS + " and " + StepPlan.FROM_RTO, p.basis());
  }

  @Test
  void aStepPastItsEstimateLeavesNothingOfItAndAHumanStepCountsByName() {
    StepPlan plan = StepPlan.of(STEPS, Map.of("a", MIN, "b", MIN, "c", MIN), 30 * MIN);
    Projection p = plan.project(0, 40 * MIN, List.of(new StepTiming("a", 0, MIN, "ok")),
        "waiting: b", MIN);
    assertEquals(41 * MIN, p.totalMillis(), "elapsed + nothing of b + c");
    assertTrue(p.overRto());
    assertEquals(StepPlan.FROM_PREVIOUS, p.basis());
    assertTrue(p.describe().contains("over the RTO"), p.describe());
  }

  @Test
  void aFirstRunIsNotOverItsRtoByTheTimeBeforeItsFirstStep() {
    StepPlan plan = StepPlan.of(STEPS, null, 30 * MIN);
    // The first step began 253 ms after the run: the shares add up to the whole RTO.
    assertTrue(plan.project(0, 253, List.of(), "a", 253, false).overRto(),
        "the old rule: over by the lead");
    Projection p = plan.project(0, 253, List.of(), "a", 253, true);
    assertFalse(p.overRto(), p.describe());
    assertTrue(p.totalMillis() <= 30 * MIN && p.totalMillis() > 30 * MIN - STEPS.size(),
        "the RTO less the lead, shared out (rounded down): " + p.totalMillis());
    // A step past its share still pushes the projection out.
    Projection late = plan.project(0, 15 * MIN, List.of(), "a", 253, true);
    assertTrue(late.overRto(), late.describe());
    // The lead is counted to the first step, not to the current one.
    Projection later = plan.project(0, 3 * MIN, List.of(new StepTiming("a", 253, 2 * MIN, "ok")),
        "b", 2 * MIN, true);
    assertFalse(later.overRto(), later.describe());
  }
}
