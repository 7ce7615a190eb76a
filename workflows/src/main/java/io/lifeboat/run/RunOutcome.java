package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_FAILED;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_RUNNING;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME_SUCCEEDED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.temporal.workflow.Workflow;

/**
 * What the web UI's list says about a run: its kind and database, running, then succeeded or
 * failed, with the RTO's status. Each method is exactly one search-attribute upsert (a command
 * in the history), so a workflow's recorded sequence of upserts is the sequence of these calls.
 */
public final class RunOutcome {
  private RunOutcome() {}

  /** At the start: kind, running, and the clock's status; the database where there is one. */
  public static void running(String kind, String database, RtoClock rto) {
    if (database == null) {
      Workflow.upsertTypedSearchAttributes(KIND.valueSet(kind),
          OUTCOME.valueSet(OUTCOME_RUNNING), RTO_STATUS.valueSet(rto.status()));
    } else {
      Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(database), KIND.valueSet(kind),
          OUTCOME.valueSet(OUTCOME_RUNNING), RTO_STATUS.valueSet(rto.status()));
    }
  }

  /** At the start of a run without a clock of its own (a drill times its scenarios). */
  public static void running(String kind) {
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(kind), OUTCOME.valueSet(OUTCOME_RUNNING));
  }

  /** Succeeded: stops the clock and writes met or breached with the outcome. */
  public static String succeeded(RtoClock rto) {
    String status = rto.settleSucceeded();
    ended(OUTCOME_SUCCEEDED, status);
    return status;
  }

  /** Failed: stops the clock and writes breached with the outcome. */
  public static void failed(RtoClock rto) {
    ended(OUTCOME_FAILED, rto.settleFailed());
  }

  /** The outcome alone (the rollback marks its RTO itself, a drill before it is judged). */
  public static void ended(String outcome) {
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(outcome));
  }

  /** The outcome and an RTO status in one upsert. */
  public static void ended(String outcome, String rtoStatus) {
    Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus), OUTCOME.valueSet(outcome));
  }
}
