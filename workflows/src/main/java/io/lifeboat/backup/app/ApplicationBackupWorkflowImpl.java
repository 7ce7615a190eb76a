package io.lifeboat.backup.app;

import io.lifeboat.backup.artifact.KeepNewestRequest;

import io.lifeboat.backup.artifact.ArchiveSource;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.backup.artifact.ArtifactBackup;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.rollback.ReleaseFacts;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_APP;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.FailedBackup;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.util.List;

public class ApplicationBackupWorkflowImpl implements ApplicationBackupWorkflow {
  private final StepRecorder steps = new StepRecorder();
  private String backupId;
  private String app;

  @Override
  public ArtifactBackupResult backup(ApplicationBackupRequest request) {
    ApplicationConfig a = request.application();
    app = a.name();
    long startedAt = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_APP),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    String prefix = request.repository().prefix();
    BackupNews news = BackupNews.start(request.notifications(), KIND_APP, "application backup",
        app, a.host(), null);
    ArtifactBackup backup = new ArtifactBackup(steps, request.repository(), request.retry(),
        a.host())
        .offsite(request.offsite(), KIND_APP, a.name(),
            io.lifeboat.offsite.OffsiteScopes.application(a.name()))
        .metrics(KIND_APP, a.name(), startedAt).news(news);
    ReleaseFacts release;
    try {
      release = steps.run("inspect", () -> backup.onHost().inspectRelease(a));
    } catch (io.temporal.failure.ActivityFailure e) {
      steps.finish("failed");
      backup.failedBeforeRun();
      Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
      if (!FailedBackup.cancelled(e)) news.failed(steps, e);
      throw e;
    }
    // The seed names archives by time and commit: farmtally_app_TIMESTAMP_COMMIT8.
    backupId = io.lifeboat.repository.BackupIds.forThisApplicationRun(startedAt,
        release.commit());
    news.id(backupId);
    String dir = RepositoryLayout.appBackupDir(prefix, app, backupId);
    // "current/" inside the archive, as the seed's `tar -C /opt/farmtally current/`.
    List<ArchiveSource> sources = List.of(new ArchiveSource(release.directory(), "current", true));
    return backup.run(dir, RepositoryLayout.APP_ARCHIVE, sources, a.excludes(), false,
        new KeepNewestRequest(request.repository(), RepositoryLayout.appBackupsRoot(prefix, app),
            a.keep(), request.retentionKeep(), request.retentionZone()),
        (archived, verification) -> new ArtifactManifest(ArtifactManifest.FORMAT_VERSION, backupId,
            KIND_APP, app, release.commit(), release.commitSource() + ", " + request.reason(),
            ArtifactBackup.iso(archived.startedAtMillis()),
            ArtifactBackup.iso(archived.finishedAtMillis()), archived.objectKey(), archived.localCopy(),
            archived.storedBytes(), archived.rawBytes(), archived.sha256(), archived.fileCount(),
            a.excludes(), List.of(), archived.missingOptional(), verification,
            Workflow.getInfo().getWorkflowId()));
  }

  @Override
  public ArtifactBackupStatus status() {
    return new ArtifactBackupStatus(backupId, app, steps.current(), steps.steps());
  }
}
