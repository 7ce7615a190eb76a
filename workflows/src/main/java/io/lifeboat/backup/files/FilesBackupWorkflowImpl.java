package io.lifeboat.backup.files;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_FILES;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.backup.artifact.ArtifactBackup;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.HostRouting;
import io.lifeboat.repository.BackupIds;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * init (if absent) → backup on the source's host (its agent; restic's progress in heartbeats)
 * → check with read-back of N% of the data → forget --prune → manifest. A damaged repository
 * is never pruned: the run records the failed check in the manifest and fails with
 * FILES_CHECK_FAILED. borg and rsync take the same steps (borg check --verify-data and prune;
 * rsync's checksum manifest and old generations deleted); their repository is a path on the
 * source's host, so init, check and retention run there too.
 *
 * <p>A repository host ({@code files[].repositoryHost}, over ssh): borg still runs every step
 * on the source's host ({@code borg serve} is the far side), so its commands are the ones of a
 * local repository. rsync's mirror is split by where the data is: the push on the source's host,
 * then seal (manifest, rename), check and retention on the repository host's agent, for which
 * the run waits as for the source's. That branch is taken only by configs with
 * repositoryHost, which no run before it had, so it needs no version marker: every recorded
 * history replays through the unchanged commands.
 */
public class FilesBackupWorkflowImpl implements FilesBackupWorkflow {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  private final StepRecorder steps = new StepRecorder();
  private String source;

  @Override
  public FilesBackupResult backup(FilesBackupRequest request) {
    FilesConfig f = request.files();
    source = f.name();
    long startedAt = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_FILES),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    String backupId = BackupIds.forThisRun(startedAt);
    BackupNews news = BackupNews.start(request.notifications(), KIND_FILES, "files backup",
        f.name(), f.host(), backupId);
    ResticTarget target = new ResticTarget(f, request.repository(),
        "lifeboat-run=" + Workflow.getInfo().getWorkflowId() + "/" + backupId, request.reason(),
        request.repositoryAddress());
    FilesActivities quick = ActivityStubs.of(FilesActivities.class, request.retry(),
        Duration.ofMinutes(10), null);
    FilesActivities long_ = ActivityStubs.of(FilesActivities.class, request.retry(),
        Duration.ofHours(6), HEARTBEAT);
    String queue = HostRouting.queueFor(f.host());
    FilesActivities onHost = queue == null ? long_ : ActivityStubs.of(FilesActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT, queue);
    // borg's and rsync's repository is a path on the source's host: every step on it runs there.
    // (No restic history changes: restic's steps keep their stubs.)
    FilesActivities repoQuick = f.restic() || queue == null ? quick : ActivityStubs.of(
        FilesActivities.class, request.retry(), Duration.ofMinutes(10), null, queue);
    FilesActivities repoLong0 = f.restic() ? long_ : onHost;
    // rsync's mirror on a repository host: what reads or changes its files runs on that host.
    boolean mirrorThere = FilesConfig.RSYNC.equals(f.engine()) && f.remoteRepository();
    String repoQueue = mirrorThere ? HostRouting.queueFor(f.repositoryHost()) : null;
    FilesActivities atRepoQuick = !mirrorThere ? repoQuick : ActivityStubs.of(
        FilesActivities.class, request.retry(), Duration.ofMinutes(10), null, repoQueue);
    FilesActivities repoLong = !mirrorThere ? repoLong0 : ActivityStubs.of(FilesActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT, repoQueue);
    ResticTarget there = !mirrorThere ? target : new ResticTarget(f.onRepositoryHost(),
        request.repository(), target.runTag(), request.reason());
    try {
      // They wait for the host's agent before init; restic inits over S3 first, as it did.
      if (f.host() != null && !f.restic()) {
        news.agents(steps.run("agent", () -> HostRouting.awaitAgent(f.host(), request.retry())));
      }
      if (mirrorThere) {
        steps.run("repository-agent",
            () -> HostRouting.awaitAgent(f.repositoryHost(), request.retry()));
      }
      steps.run("init", () -> atRepoQuick.filesInit(there));
      if (f.host() != null && f.restic()) {
        news.agents(steps.run("agent", () -> HostRouting.awaitAgent(f.host(), request.retry())));
      }
      FilesSnapshot pushed = steps.run("backup", () -> onHost.filesBackup(target));
      FilesSnapshot snap = mirrorThere ? steps.run("seal", () -> repoLong.filesSeal(there))
          : pushed;
      FilesCheck check = steps.run("check", () -> repoLong.filesCheck(there));
      FilesRetention retention = check.ok()
          ? steps.run("retention", () -> repoLong.filesForget(there))
          : new FilesRetention(List.of(), List.of());
      FilesManifest manifest = new FilesManifest(FilesManifest.FORMAT_VERSION, backupId,
          KIND_FILES, f.name(), f.engine(), f.host(), f.paths(), f.excludes(), target.url(),
          snap.snapshotId(), snap.filesNew(), snap.filesChanged(), snap.totalFiles(),
          snap.totalBytes(), snap.bytesAdded(), ArtifactBackup.iso(startedAt),
          ArtifactBackup.iso(Workflow.currentTimeMillis()),
          (check.ok() ? "ok: " : "failed: ") + check.line(), retention.kept(),
          retention.removed(), request.reason(), Workflow.getInfo().getWorkflowId(),
          snap.resticVersion());
      String key = steps.run("commit", () -> quick.filesCommitManifest(target, manifest));
      if (!check.ok()) {
        throw FailureKind.FILES_CHECK_FAILED.failure("verification of files source " + f.name()
            + " failed: " + (f.restic() ? "restic check --read-data-subset="
                + check.readDataPercent() + "%: " : "") + check.line() + " ("
            + (f.restic() ? "snapshot " : f.engine() + " generation ") + snap.snapshotId()
            + " recorded, nothing pruned)");
      }
      news.finished(steps, snap.bytesAdded(), snap.totalBytes(), (f.restic() ? "restic snapshot "
          : f.engine() + " generation ") + snap.snapshotId());
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new FilesBackupResult(manifest, key, steps.steps());
    } catch (RuntimeException e) {
      steps.finish("failed");
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      if (!FailedBackup.cancelled(e)) {
        Workflow.newDetachedCancellationScope(() -> news.failed(steps, e)).run();
      }
      throw e;
    }
  }

  @Override
  public FilesBackupStatus status() {
    return new FilesBackupStatus(source, steps.current(), steps.steps());
  }
}
