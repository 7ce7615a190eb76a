package io.lifeboat.repository;

import io.temporal.workflow.Workflow;
import java.util.Locale;

/**
 * The one rule for a short key that tells runs apart: the END of the run id.
 *
 * <p>The Temporal server makes UUIDv7 run ids: their first 12 hex digits are its clock in
 * milliseconds, so the first 8 (the top 32 bits of it) change only every 2^16 ms, about 65 s.
 * Every run started within that window shares them. The last 8 hex digits are random in v7 as
 * in v4: 32 bits, one chance in four billion that two runs share them. Names built from a run
 * (scratch databases, scratch directories, staging directories, backup ids) take this key.
 *
 * <p>The key is lowercase letters and digits only, always {@value #LENGTH} characters (a run id
 * shorter than that is padded with 0 in front), so it fits PostgreSQL identifiers and paths.
 */
public final class RunKeys {
  /**
   * The version marker of the change from the first 8 characters to the last ones; histories
   * recorded before it have none and keep the names they were started with (the scratch
   * database a recorded restore created is the one its drop must name).
   */
  public static final String CHANGE_ID = "run-key-from-end";
  public static final int LENGTH = 8;

  private RunKeys() {}

  /** The last {@value #LENGTH} letters and digits of {@code runId}, lowercase. */
  public static String of(String runId) {
    String run = alnum(runId);
    return ("0".repeat(LENGTH) + run).substring(run.length());
  }

  /**
   * What runs recorded before {@value #CHANGE_ID} used: the first 8 letters and digits, which
   * every run started in the same ~65 s shares. Only for replaying those runs.
   */
  public static String legacyPrefix(String runId) {
    return alnum(runId).substring(0, LENGTH);
  }

  /**
   * From inside a workflow: this run's key. A run recorded before {@value #CHANGE_ID} keeps
   * {@link #legacyPrefix}; a new run records its key once as a side effect, so a reset run (a new
   * run id) keeps naming what the recorded part of its history created.
   */
  public static String forThisRun() {
    String runId = Workflow.getInfo().getRunId();
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return legacyPrefix(runId);
    }
    return Workflow.sideEffect(String.class, () -> of(runId));
  }

  /**
   * From inside a workflow: the workflow id and the whole run id, for names that may be long
   * (the rollback's release staging directory, a drill's): unlike a short key it cannot collide,
   * and the run id's first characters alone would (a timestamp in UUIDv7, shared by every run
   * started in the same minute).
   */
  public static String wholeRun() {
    return Workflow.getInfo().getWorkflowId().replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
        + Workflow.getInfo().getRunId().replaceAll("[^A-Za-z0-9-]", "");
  }

  private static String alnum(String runId) {
    return runId == null ? "" : runId.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
  }
}
