package io.lifeboat.repository;

import io.temporal.workflow.Workflow;

/**
 * The id a backup workflow gives its backup, from inside the workflow.
 *
 * <p>Runs recorded before unique ids (no {@value #CHANGE_ID} marker in their history) keep the
 * second-resolution id they were started with: their objects are already stored under it, so a
 * replay or a worker upgrade mid-run must not move the manifest elsewhere. New runs take
 * {@link RepositoryLayout#uniqueBackupId} (start time to the millisecond plus a piece of the run
 * id), recorded once as a side effect so a reset run, which gets a new run id, keeps the id its
 * objects were written under.
 */
public final class BackupIds {
  /** The version marker of the change; histories recorded before it have none. */
  public static final String CHANGE_ID = "unique-backup-id";

  private BackupIds() {}

  /** For database dumps, base backups and configuration backups. */
  public static String forThisRun(long startedAtMillis) {
    return forThisRun(startedAtMillis, false, null);
  }

  /** For application backups, whose ids end in the release's commit. */
  public static String forThisApplicationRun(long startedAtMillis, String commit) {
    return forThisRun(startedAtMillis, true, commit);
  }

  private static String forThisRun(long startedAtMillis, boolean app, String commit) {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return app ? RepositoryLayout.appBackupId(startedAtMillis, commit)
          : RepositoryLayout.backupId(startedAtMillis);
    }
    String runId = Workflow.getInfo().getRunId();
    return Workflow.sideEffect(String.class, () -> app
        ? RepositoryLayout.uniqueAppBackupId(startedAtMillis, runId, commit)
        : RepositoryLayout.uniqueBackupId(startedAtMillis, runId));
  }
}
