package io.lifeboat.drill;

import io.lifeboat.failure.FailureMessage;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Saga-like clean-up: each scratch resource registers how to undo it before it is created; all
 * of them run, newest first, in a detached cancellation scope, so they run also when the drill
 * failed or is being cancelled. A clean-up that fails is noted (for the report), never thrown:
 * the others still run. Workflow code only.
 */
final class Compensation {
  private record Undo(String step, Supplier<String> action) {}

  private final List<Undo> undo = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(String step, Supplier<String> action) {
    undo.add(new Undo(step, action));
  }

  /** Runs every registered clean-up once; returns what each did or why it failed. */
  List<String> run() {
    List<String> done = new ArrayList<>();
    Workflow.newDetachedCancellationScope(() -> {
      for (int i = undo.size() - 1; i >= 0; i--) {
        Undo u = undo.get(i);
        try {
          done.add(u.step() + ": " + u.action().get());
        } catch (ActivityFailure e) {
          String why = FailureMessage.of(e);
          done.add(u.step() + " FAILED: " + why + " (remove it by hand)");
          notes.add("clean-up " + u.step() + " failed: " + why);
        }
      }
    }).run();
    undo.clear();
    return done;
  }

  List<String> failures() {
    return List.copyOf(notes);
  }
}
