package io.lifeboat.backup.config;

import io.lifeboat.backup.artifact.ArchiveSource;
import io.lifeboat.backup.artifact.ArtifactBackup;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.backup.artifact.ArtifactManifest;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_CONFIG;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.ConfigurationBackupConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class ConfigurationBackupWorkflowImpl implements ConfigurationBackupWorkflow {
  private final io.lifeboat.run.StepRecorder steps =
      new io.lifeboat.run.StepRecorder();
  private String backupId;
  private String estate;

  @Override
  public ArtifactBackupResult backup(ConfigurationBackupRequest request) {
    estate = request.estate();
    long startedAt = Workflow.currentTimeMillis();
    backupId = io.lifeboat.repository.BackupIds.forThisRun(startedAt);
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_CONFIG),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    String prefix = request.repository().prefix();
    String dir = RepositoryLayout.configBackupDir(prefix, backupId);
    ArtifactBackup backup = new ArtifactBackup(steps, request.repository(), request.retry(),
        request.configuration().host())
        .offsite(request.offsite(), KIND_CONFIG, estate,
            io.lifeboat.offsite.OffsiteScopes.configuration())
        .metrics(KIND_CONFIG, estate, startedAt)
        .news(io.lifeboat.run.BackupNews.start(request.notifications(), KIND_CONFIG,
            "configuration backup", estate, request.configuration().host(), backupId));
    return backup.run(dir, RepositoryLayout.CONFIG_ARCHIVE, sources(request.configuration()),
        List.of(), true, new io.lifeboat.backup.artifact.KeepNewestRequest(request.repository(),
            RepositoryLayout.configBackupsRoot(prefix), request.configuration().keep(),
            request.retentionKeep(), request.retentionZone()),
        (archived, verification) -> new ArtifactManifest(ArtifactManifest.FORMAT_VERSION, backupId,
            KIND_CONFIG, estate, null, "weekly configuration backup",
            ArtifactBackup.iso(archived.startedAtMillis()),
            ArtifactBackup.iso(archived.finishedAtMillis()), archived.objectKey(), archived.localCopy(),
            archived.storedBytes(), archived.rawBytes(), archived.sha256(), archived.fileCount(),
            List.of(), archived.files(), archived.missingOptional(), verification,
            Workflow.getInfo().getWorkflowId()));
  }

  /** Where each configured item goes in the archive; only the Jenkins file may be absent. */
  static List<ArchiveSource> sources(ConfigurationBackupConfig c) {
    List<ArchiveSource> s = new ArrayList<>();
    if (c.nginxDir() != null) s.add(new ArchiveSource(c.nginxDir(), "nginx", true));
    if (c.ecosystemFile() != null) {
      s.add(new ArchiveSource(c.ecosystemFile(), "pm2/" + baseName(c.ecosystemFile()), true));
    }
    for (String f : c.files()) {
      s.add(new ArchiveSource(f, "system/" + f.replaceFirst("^/+", ""), true));
    }
    if (c.jenkinsCascFile() != null) {
      s.add(new ArchiveSource(c.jenkinsCascFile(), "jenkins/" + baseName(c.jenkinsCascFile()), false));
    }
    return s;
  }

  private static String baseName(String path) {
    String p = path.replaceAll("/+$", "");
    return p.substring(p.lastIndexOf('/') + 1);
  }

  @Override
  public ArtifactBackupStatus status() {
    return new ArtifactBackupStatus(backupId, estate, steps.current(), steps.steps());
  }
}
